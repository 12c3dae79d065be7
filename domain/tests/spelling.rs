//! Every Vietnamese string the app shows, the server seeds or the code
//! writes (domain/, server/, src/) is in one
//! spelling style (`cuaso_domain::spelling`): the traditional tone-mark
//! placement (hòa, xóa, Ủy), and in NFC.

use std::path::Path;

use cuaso_domain::spelling::new_style_words;

fn check(path: &Path, problems: &mut Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    for (i, line) in text.lines().enumerate() {
        for w in new_style_words(line) {
            problems.push(format!("{}:{}: {w}", path.display(), i + 1));
        }
        if line.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)) {
            problems.push(format!(
                "{}:{}: a combining mark (not NFC)",
                path.display(),
                i + 1
            ));
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn locales_and_seed_data_use_one_spelling_style() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = vec![root.join("locales/vi.json"), root.join("index.html")];
    for dir in ["server/seed"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|e| e == "json") {
                files.push(p);
            }
        }
    }
    // The messages written in code: the domain's (the server answers with
    // them), the server's and the app's. spelling.rs lists both styles.
    for dir in ["domain/src", "server/src", "src"] {
        rust_files(&root.join(dir), &mut files);
    }
    files.retain(|f| !f.ends_with("domain/src/spelling.rs"));
    let mut problems = Vec::new();
    for f in &files {
        check(f, &mut problems);
    }
    assert!(
        problems.is_empty(),
        "write the tone mark on the first vowel of an open oa/oe/uy syllable (hòa, xóa, Ủy):\n{}",
        problems.join("\n")
    );
}
