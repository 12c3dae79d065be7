//! The shape of `server/src`, checked: each feature has its folder (every
//! folder but the shared `http` and `infra`), and
//!
//! - feature folders form no import circle: if one uses another
//!   (`crate::<feature>` in its code), the other does not use it back,
//!   directly or through others;
//! - a feature uses another only through what that feature's `mod.rs`
//!   offers: never `crate::dossiers::store::…` (a file or folder inside
//!   it) from another feature;
//! - `http` and `infra` use no feature.
//!
//! Only code counts: comments (doc links included) and string literals
//! are left out. Every `crate::` path is read, `use` groups
//! (`crate::{a, b::c}`) expanded.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Folders every feature may use, which use no feature.
const SHARED: [&str; 2] = ["http", "infra"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The folders of `dir`, by name.
fn folders(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn features() -> Vec<String> {
    folders(&src())
        .into_iter()
        .filter(|f| !SHARED.contains(&f.as_str()))
        .collect()
}

/// The `.rs` files under `dir`, as (path relative to `src`, text).
fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(src()).unwrap().display().to_string();
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The modules inside a feature: its files (but `mod.rs`) and folders.
fn inner_modules(feature: &str) -> BTreeSet<String> {
    std::fs::read_dir(src().join(feature))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "mod.rs")
        .map(|n| n.trim_end_matches(".rs").to_string())
        .collect()
}

/// `text` without comments, string literals and char literals.
fn code_only(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && (i == 0 || !ident(b[i - 1]) || (b[i - 1] == 'b' && (i < 2 || !ident(b[i - 2]))))
        {
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            while j < b.len() && !(b[j] == '"' && (1..=hashes).all(|k| b.get(j + k) == Some(&'#')))
            {
                j += 1;
            }
            i = j + 1 + hashes;
            out.push_str("\"\"");
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                i += if b[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && next == Some('\\') {
            i += 2;
            while i < b.len() && b[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else if c == '\'' && b.get(i + 2) == Some(&'\'') {
            i += 3;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Every path after `crate::` in `code`, groups expanded:
/// `crate::{a::{b, c}, d as e}` gives `a::b`, `a::c`, `d`.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let b: Vec<char> = code.chars().collect();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = code[char_offset(&b, i)..].find("crate::") {
        let start = i + code[char_offset(&b, i)..][..at].chars().count();
        i = start + "crate::".len();
        if start > 0 && (ident(b[start - 1]) || b[start - 1] == ':') {
            continue;
        }
        i = tree(&b, i, &mut Vec::new(), &mut out);
    }
    out
}

fn char_offset(b: &[char], i: usize) -> usize {
    b[..i.min(b.len())].iter().map(|c| c.len_utf8()).sum()
}

/// Reads one use-tree at `i` under `prefix` into `out`; returns where it
/// ends.
fn tree(b: &[char], mut i: usize, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let skip = |b: &[char], mut i: usize| {
        while i < b.len() && b[i].is_whitespace() {
            i += 1;
        }
        i
    };
    let word = |b: &[char], mut i: usize| {
        let from = i;
        while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_' || b[i] == '*') {
            i += 1;
        }
        (b[from..i].iter().collect::<String>(), i)
    };
    i = skip(b, i);
    if b.get(i) == Some(&'{') {
        i += 1;
        loop {
            i = skip(b, i);
            match b.get(i) {
                None => return i,
                Some('}') => return i + 1,
                Some(',') => i += 1,
                Some(_) => {
                    let before = i;
                    i = tree(b, i, &mut prefix.clone(), out);
                    if i == before {
                        i += 1;
                    }
                }
            }
        }
    }
    let (seg, mut j) = word(b, i);
    if seg.is_empty() {
        if !prefix.is_empty() {
            out.push(prefix.clone());
        }
        return i;
    }
    if b.get(j) == Some(&':') && b.get(j + 1) == Some(&':') {
        prefix.push(seg);
        return tree(b, j + 2, prefix, out);
    }
    let mut path = prefix.clone();
    if seg != "self" {
        path.push(seg);
    }
    out.push(path);
    // `as alias`
    let k = skip(b, j);
    let (w, after) = word(b, k);
    if w == "as" {
        j = word(b, skip(b, after)).1;
    }
    j
}

/// One use of a feature by another: where, and the path.
#[derive(Debug, Clone)]
struct Use {
    file: String,
    path: String,
}

/// feature → used feature → the uses (at most a few kept for messages).
type Graph = BTreeMap<String, BTreeMap<String, Vec<Use>>>;

fn graph(features: &[String], sources: &[(String, String)]) -> Graph {
    let mut g: Graph = features
        .iter()
        .map(|f| (f.clone(), BTreeMap::new()))
        .collect();
    for (file, text) in sources {
        let Some(from) = file
            .split('/')
            .next()
            .filter(|f| features.contains(&f.to_string()))
        else {
            continue;
        };
        if !file.contains('/') {
            continue;
        }
        for path in crate_paths(&code_only(text)) {
            let Some(to) = path.first().filter(|t| features.contains(t) && *t != from) else {
                continue;
            };
            g.get_mut(from)
                .unwrap()
                .entry(to.clone())
                .or_default()
                .push(Use {
                    file: file.clone(),
                    path: format!("crate::{}", path.join("::")),
                });
        }
    }
    g
}

/// Every circle of `g`, each once, as the list of its features (the first
/// repeated at the end).
fn circles(g: &Graph) -> Vec<Vec<String>> {
    fn walk(
        g: &Graph,
        node: &str,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        out: &mut Vec<Vec<String>>,
    ) {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut c: Vec<String> = stack[at..].to_vec();
            c.push(node.to_string());
            out.push(c);
            return;
        }
        if done.contains(node) {
            return;
        }
        stack.push(node.to_string());
        for next in g.get(node).map(|m| m.keys()).into_iter().flatten() {
            walk(g, next, stack, done, out);
        }
        stack.pop();
        done.insert(node.to_string());
    }
    let mut out = Vec::new();
    let mut done = BTreeSet::new();
    for node in g.keys() {
        walk(g, node, &mut Vec::new(), &mut done, &mut out);
    }
    out
}

fn describe_circle(g: &Graph, c: &[String]) -> String {
    let mut s = c.join(" -> ");
    for pair in c.windows(2) {
        for u in g[&pair[0]][&pair[1]].iter().take(3) {
            s.push_str(&format!("\n    {}: {}", u.file, u.path));
        }
    }
    s
}

/// Uses of another feature's inner modules: (file, path, the module).
fn reaching_in(g: &Graph, inner: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for uses in g.values() {
        for (to, list) in uses {
            for u in list {
                let second = u.path.split("::").nth(2).unwrap_or_default();
                if inner[to].contains(second) {
                    out.push(format!(
                        "{}: {} reaches into {to}/{second} (use what {to}/mod.rs offers)",
                        u.file, u.path
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn feature_folders_form_no_import_circle() {
    let features = features();
    assert!(features.len() >= 5, "feature folders: {features:?}");
    let g = graph(&features, &sources(&src()));
    let found = circles(&g);
    let listed: Vec<String> = found.iter().map(|c| describe_circle(&g, c)).collect();
    assert!(
        found.is_empty(),
        "feature folders import each other in a circle:\n{}",
        listed.join("\n")
    );
    // The graph, for whoever runs this with --nocapture.
    for (from, to) in &g {
        println!(
            "{from} -> {}",
            to.keys().cloned().collect::<Vec<_>>().join(", ")
        );
    }
}

#[test]
fn features_use_each_other_only_through_mod_rs() {
    let features = features();
    let g = graph(&features, &sources(&src()));
    let inner: BTreeMap<String, BTreeSet<String>> = features
        .iter()
        .map(|f| (f.clone(), inner_modules(f)))
        .collect();
    let wrong = reaching_in(&g, &inner);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn shared_folders_use_no_feature() {
    let features = features();
    let mut wrong = Vec::new();
    for shared in SHARED {
        for (file, text) in sources(&src().join(shared)) {
            for path in crate_paths(&code_only(&text)) {
                if path.first().is_some_and(|p| features.contains(p)) {
                    wrong.push(format!("{file}: crate::{}", path.join("::")));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "http/ and infra/ are below every feature:\n{}",
        wrong.join("\n")
    );
}

/// The checks themselves, on made-up sources.
#[test]
fn the_checks_see_circles_and_inner_modules() {
    let code = code_only(
        "use crate::{a::{b, c as d}, e::self};\n\
         // crate::comment::only\n\
         let s = \"crate::in::a::string\"; let r = r#\"crate::raw\"#; let c = '\"';\n\
         fn f<'a>(x: &'a str) { crate::g::h(x); }\n\
         /* crate::block */ let u = crate::k;",
    );
    let paths: Vec<String> = crate_paths(&code).iter().map(|p| p.join("::")).collect();
    assert_eq!(paths, ["a::b", "a::c", "e", "g::h", "k"]);

    let features: Vec<String> = ["one", "two", "three"].map(String::from).to_vec();
    let fake = |file: &str, text: &str| (file.to_string(), text.to_string());
    let sources = vec![
        fake("one/mod.rs", "use crate::two::Thing;"),
        fake("two/store.rs", "fn f() { crate::three::run(); }"),
        fake("three/x.rs", "use crate::{one::inner::deep, infra::db};"),
        fake("lib.rs", "use crate::one::inner;"),
    ];
    let g = graph(&features, &sources);
    let found = circles(&g);
    assert_eq!(found, [["one", "two", "three", "one"].map(String::from)]);
    assert!(describe_circle(&g, &found[0]).contains("three/x.rs: crate::one::inner::deep"));
    let inner: BTreeMap<String, BTreeSet<String>> = features
        .iter()
        .map(|f| (f.clone(), BTreeSet::from(["inner".to_string()])))
        .collect();
    assert_eq!(
        reaching_in(&g, &inner),
        ["three/x.rs: crate::one::inner::deep reaches into one/inner (use what one/mod.rs offers)"]
    );
}
