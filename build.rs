//! Compiles `locales/*.json` into a typed table of interface strings.
//!
//! Every key becomes a field of `Strings`, so a misspelt key is a compile
//! error, and a locale that lacks a key (or has one the others lack) fails the
//! build with the key's name. Vietnamese (`vi.json`) is the reference.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// Locale files, in order; the first is the reference set of keys.
const LOCALES: &[(&str, &str)] = &[("vi", "VI"), ("en", "EN")];

fn main() {
    println!("cargo:rerun-if-changed=locales");
    let mut tables: Vec<(&str, BTreeMap<String, String>)> = Vec::new();
    for (code, konst) in LOCALES {
        let path = format!("locales/{code}.json");
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let map: BTreeMap<String, String> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        for (k, v) in &map {
            let ok = k.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && k.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            assert!(ok, "{path}: key `{k}` must be snake_case");
            assert!(!v.trim().is_empty(), "{path}: key `{k}` is empty");
        }
        tables.push((konst, map));
    }
    let reference: Vec<&String> = tables[0].1.keys().collect();
    for (konst, map) in &tables[1..] {
        let missing: Vec<_> = reference
            .iter()
            .filter(|k| !map.contains_key(k.as_str()))
            .collect();
        let extra: Vec<_> = map
            .keys()
            .filter(|k| !tables[0].1.contains_key(k.as_str()))
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "locale {konst}: missing keys {missing:?}, keys not in vi.json {extra:?}"
        );
    }
    let mut out =
        String::from("/// Every interface string, one field per key of `locales/*.json`.\n");
    out.push_str("#[allow(dead_code)]\npub struct Strings {\n");
    for k in &reference {
        writeln!(out, "    pub {k}: &'static str,").unwrap();
    }
    out.push_str("}\n");
    for (konst, map) in &tables {
        writeln!(out, "pub static {konst}: Strings = Strings {{").unwrap();
        for (k, v) in map {
            writeln!(out, "    {k}: {v:?},").unwrap();
        }
        out.push_str("};\n");
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("strings.rs");
    std::fs::write(dest, out).unwrap();
}
