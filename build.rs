//! Compiles `locales/*.json` into a typed table of interface strings.
//!
//! Every key becomes a field of `Strings`, so a misspelt key is a compile
//! error, and a locale that lacks a key (or has one the others lack) fails the
//! build with the key's name. Vietnamese (`vi.json`) is the reference.
//!
//! Only the **core** strings are compiled into the wasm: those the main
//! module's own files use (the shell, home, errors; see [`CORE_FILES`]).
//! Strings are data, and data stays in the main module whatever chunk uses
//! it, so the strings of the lazy pages go to a text bundle per language
//! instead, `target/i18n/strings-{lang}-{hash}.txt` (values joined by U+001F
//! in key order), which `scripts/split-wasm.sh` copies into `dist/`; the app
//! fetches it with a page's chunk.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// Locale files, in order; the first is the reference set of keys.
const LOCALES: &[(&str, &str)] = &[("vi", "VI"), ("en", "EN")];

/// Languages whose strings are never compiled in: a visitor who reads them
/// fetches one bundle with every key (`strings-{lang}-{hash}.txt`), so they
/// cost the main module nothing. They must have every key too.
const EXTRA_LOCALES: &[(&str, &str)] = &[("ko", "KO"), ("zh", "ZH")];

/// The main module's files: a key named in one of them is compiled in.
const CORE_FILES: &[&str] = &[
    "src/app.rs",
    "src/lib.rs",
    "src/config.rs",
    "src/i18n.rs",
    "src/components/icons.rs",
    "src/components/layout.rs",
    "src/components/search.rs",
    "src/components/status.rs",
    "src/pages/home.rs",
    "src/pages/lazy.rs",
    "src/pages/not_found.rs",
];

/// Whether `word` appears in `text` as a whole identifier.
fn mentions(text: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// FNV-1a, 64 bits: names a bundle by its content.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

/// Reads `locales/{code}.json`: snake_case keys, no empty value, no U+001F
/// (the bundles' separator).
fn read_locale(code: &str) -> BTreeMap<String, String> {
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
        assert!(!v.contains('\u{1f}'), "{path}: key `{k}` has U+001F");
    }
    map
}

fn main() {
    println!("cargo:rerun-if-changed=locales");
    // Relocations let scripts/split-wasm.sh cut the lazy routes into their
    // own chunks. Set here, not in .cargo/config.toml, so that only this
    // crate's wasm carries them: the QR worker (qr/) would ship them as dead
    // weight (240 KB of custom sections).
    if std::env::var("TARGET").as_deref() == Ok("wasm32-unknown-unknown") {
        println!("cargo:rustc-link-arg=--emit-relocs");
    }
    let tables: Vec<(&str, BTreeMap<String, String>)> =
        LOCALES.iter().map(|(code, konst)| (*konst, read_locale(code))).collect();
    let extras: Vec<(&str, BTreeMap<String, String>)> = EXTRA_LOCALES
        .iter()
        .map(|(code, konst)| (*konst, read_locale(code)))
        .collect();
    let reference: Vec<&String> = tables[0].1.keys().collect();
    for (konst, map) in tables[1..].iter().chain(&extras) {
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
    let mut sources = String::new();
    for f in CORE_FILES {
        println!("cargo:rerun-if-changed={f}");
        sources.push_str(&std::fs::read_to_string(f).unwrap_or_default());
    }
    let core: Vec<bool> = reference.iter().map(|k| mentions(&sources, k)).collect();

    let mut out =
        String::from("/// Every interface string, one field per key of `locales/*.json`.\n");
    // `repr(C)` with fields of one type: the same layout as an array of
    // them, so a table is filled by index with a loop, not by a function
    // naming every field (which cost kilobytes of wasm).
    out.push_str("#[allow(dead_code)]\n#[repr(C)]\npub struct Strings {\n");
    for k in &reference {
        writeln!(out, "    pub {k}: &'static str,").unwrap();
    }
    out.push_str("}\n");
    let bundle_dir = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("target/i18n");
    let _ = std::fs::remove_dir_all(&bundle_dir);
    std::fs::create_dir_all(&bundle_dir).unwrap();
    for (konst, map) in &tables {
        // The core strings compiled in; the page strings empty until the
        // bundle is installed.
        writeln!(out, "pub static {konst}: Strings = Strings {{").unwrap();
        for (k, is_core) in reference.iter().zip(&core) {
            let v = if *is_core {
                map[k.as_str()].as_str()
            } else {
                ""
            };
            writeln!(out, "    {k}: {v:?},").unwrap();
        }
        out.push_str("};\n");
        let pages: Vec<&str> = reference
            .iter()
            .zip(&core)
            .filter(|(_, c)| !**c)
            .map(|(k, _)| map[k.as_str()].as_str())
            .collect();
        let text = pages.join("\u{1f}");
        let lang = konst.to_lowercase();
        let name = format!("strings-{lang}-{:016x}.txt", fnv(text.as_bytes()));
        std::fs::write(bundle_dir.join(&name), &text).unwrap();
        writeln!(out, "pub const {konst}_BUNDLE: &str = {name:?};").unwrap();
        // For tests, which cannot fetch the bundle; unused code and data
        // never reach the wasm.
        writeln!(out, "pub const {konst}_PAGES: &str = {text:?};").unwrap();
    }
    let n = reference.len();
    let page_idx: Vec<String> = core
        .iter()
        .enumerate()
        .filter(|(_, c)| !**c)
        .map(|(i, _)| i.to_string())
        .collect();
    writeln!(out, "const KEYS: usize = {n};").unwrap();
    writeln!(
        out,
        "/// The page strings' places in the table, in bundle order.\n\
         const PAGE_KEYS: [u16; {}] = [{}];",
        page_idx.len(),
        page_idx.join(", ")
    )
    .unwrap();
    out.push_str(
        "const _: () = assert!(core::mem::size_of::<Strings>() == core::mem::size_of::<[&str; KEYS]>());\n\
         fn from_array(a: [&'static str; KEYS]) -> Strings {\n\
         \x20   // SAFETY: repr(C), KEYS fields of type &'static str, sizes asserted equal.\n\
         \x20   unsafe { core::mem::transmute::<[&'static str; KEYS], Strings>(a) }\n\
         }\n\
         /// The full table: `core`'s compiled strings plus a bundle's page strings.\n\
         pub fn with_pages(core: &'static Strings, text: &'static str) -> Option<Strings> {\n\
         \x20   // SAFETY: as in from_array.\n\
         \x20   let mut a: [&'static str; KEYS] = unsafe { *(core as *const Strings as *const [&'static str; KEYS]) };\n\
         \x20   let mut it = text.split('\\u{1f}');\n\
         \x20   for i in PAGE_KEYS {\n\
         \x20       a[usize::from(i)] = it.next()?;\n\
         \x20   }\n\
         \x20   it.next().is_none().then(|| from_array(a))\n\
         }\n",
    );
    // The languages fetched whole: every key from the bundle.
    for (konst, map) in &extras {
        let all: Vec<&str> = reference.iter().map(|k| map[k.as_str()].as_str()).collect();
        let text = all.join("\u{1f}");
        let lang = konst.to_lowercase();
        let name = format!("strings-{lang}-{:016x}.txt", fnv(text.as_bytes()));
        std::fs::write(bundle_dir.join(&name), &text).unwrap();
        writeln!(out, "pub const {konst}_BUNDLE: &str = {name:?};").unwrap();
        writeln!(out, "pub const {konst}_ALL: &str = {text:?};").unwrap();
    }
    out.push_str(
        "/// The full table of a language fetched whole, from its bundle's text.\n\
         pub fn with_all(text: &'static str) -> Option<Strings> {\n\
         \x20   let v: Vec<&'static str> = text.split('\\u{1f}').collect();\n\
         \x20   v.try_into().ok().map(from_array)\n\
         }\n",
    );
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("strings.rs");
    std::fs::write(dest, out).unwrap();
}
