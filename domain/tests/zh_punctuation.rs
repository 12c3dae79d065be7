//! Chinese text uses full-width punctuation (，。：；？！（）) where Chinese
//! prose has it: every string of `locales/zh.json` and every Chinese text
//! of the sites' seed (`text.zh`, the photos' `alt.zh`). A half-width mark
//! is a fault when a Chinese character touches it (spaces skipped); marks
//! inside Latin words or numbers (`10,333`, `08:00`) are fine.

use std::path::Path;

use serde_json::Value;

fn cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// The half-width marks of `text` that touch a Chinese character.
fn half_width_marks(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if !",.:;?!()".contains(c) {
            continue;
        }
        let prev = chars[..i].iter().rev().find(|c| !c.is_whitespace());
        let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
        let touches = prev.is_some_and(|&p| cjk(p)) || (c != '.' && next.is_some_and(|&n| cjk(n)));
        if touches {
            let from = i.saturating_sub(6);
            let to = (i + 7).min(chars.len());
            out.push(format!(
                "'{c}' in …{}…",
                chars[from..to].iter().collect::<String>()
            ));
        }
    }
    out
}

fn strings(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((path.to_string(), s.clone())),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| strings(x, &format!("{path}[{i}]"), out)),
        Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| strings(x, &format!("{path}.{k}"), out)),
        _ => {}
    }
}

fn read(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn the_rule_itself() {
    assert_eq!(half_width_marks("插图:大海,天空。").len(), 2);
    assert_eq!(half_width_marks("永木(Vinh Moc)村民").len(), 2);
    assert!(half_width_marks("10,333位烈士，08:00开放。Vinh Linh, Quang Tri").is_empty());
    assert!(half_width_marks("永木（Vinh Moc）村民，共有三层。").is_empty());
}

#[test]
fn chinese_texts_use_full_width_punctuation() {
    let mut texts = Vec::new();
    strings(&read("locales/zh.json"), "locales/zh.json", &mut texts);
    let sites = read("server/seed/sites.json");
    for s in sites.as_array().unwrap() {
        let slug = s["slug"].as_str().unwrap();
        strings(
            &s["text"]["zh"],
            &format!("sites.json {slug}.text.zh"),
            &mut texts,
        );
        for (i, p) in s["photos"].as_array().unwrap().iter().enumerate() {
            strings(
                &p["alt"]["zh"],
                &format!("sites.json {slug}.photos[{i}].alt.zh"),
                &mut texts,
            );
        }
    }
    assert!(texts.len() > 400, "{} Chinese texts", texts.len());
    let problems: Vec<String> = texts
        .iter()
        .flat_map(|(path, t)| {
            half_width_marks(t)
                .into_iter()
                .map(move |m| format!("{path}: {m}"))
        })
        .collect();
    assert!(
        problems.is_empty(),
        "Chinese prose takes full-width punctuation (，。：；？！（）):\n{}",
        problems.join("\n")
    );
}
