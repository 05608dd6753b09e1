use super::*;

/// A canon error is placed where an editor shows it, whatever the file's
/// line ends: a lone `\r` ends a line as `\n` and `\r\n` do (it was
/// counted as no break at all), and columns count characters.
#[test]
fn errors_are_placed_by_any_line_end_and_in_characters() {
    for end in ["\n", "\r\n", "\r"] {
        let text = [
            "{",
            r#"  "levels": [],"#,
            r#"  "roles": [],"#,
            r#"  "é😀": 1, "x": 2"#,
            "}",
        ]
        .join(end);
        let errors = load(&[("t.json", &text)]).expect_err("unknown keys");
        let at: Vec<(usize, usize)> = errors.0.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(4, 3), (4, 12)], "{end:?}: {errors:?}");
    }
}

fn load(files: &[(&str, &str)]) -> Result<Canon, CanonErrors> {
    let files = files
        .iter()
        .map(|(p, t)| SourceFile {
            path: p.to_string(),
            bytes: t.as_bytes().to_vec(),
        })
        .collect();
    load_sources(files, vec!["test".into()])
}

const LEVELS: &str = r#"{"levels": [{"code": "P2", "name": "Developing"}]}"#;

#[test]
fn embedded_canon_loads() {
    let canon = load_embedded().expect("default canon is valid");
    let ral = canon.role_at("AE", "p2").expect("seed role and level");
    assert_eq!(ral.role.id, "account-executive-field-sales");
    assert_eq!(ral.level.code, "P2");
    assert_eq!(ral.at.responsibilities().len(), 5);
    assert!(canon.role("Account Executive / Field Sales").is_some());
}

#[test]
fn misspelled_key_duplicate_id_and_undefined_level_are_all_reported() {
    let role = r#"{
  "roles": [
    { "id": "a", "title": "A", "family": "F",
      "levels": { "P2": { "responsibilites": ["x"] } } }
  ]
}"#;
    let dup = r#"{"roles": [{"id": "a", "title": "A2", "family": "F", "levels": {"P9": {}}}]}"#;
    let errs = load(&[("levels.json", LEVELS), ("a.json", role), ("b.json", dup)])
        .unwrap_err()
        .0;
    let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(errs.len(), 3, "{text:#?}");
    assert_eq!(text[0], "a.json:4:27: roles[0].levels.P2.responsibilites: unknown key `responsibilites`; did you mean `responsibilities`?");
    assert_eq!(
        text[1],
        "b.json:1:19: roles[0].id: duplicate role id `a`; first defined at a.json:3:13"
    );
    assert!(
        text[2].starts_with(
            "b.json:1:65: roles[0].levels.P9: level `P9` is not defined by any canon file"
        ),
        "{}",
        text[2]
    );
}

#[test]
fn positions_count_characters_not_bytes() {
    let t = "{\"levels\": [{\"code\": \"P2\", \"name\": \"Développeur ⟨x⟩\", \"bogus\": 1}]}";
    let errs = load(&[("l.json", t)]).unwrap_err().0;
    assert_eq!(errs[0].to_string(), "l.json:1:55: levels[0].bogus: unknown key `bogus`; expected one of `code`, `name` or `dimensions`");
}

#[test]
fn syntax_errors_types_empties_and_invalid_utf8() {
    let errs = load(&[
        ("a.json", "{\"levels\": [\n  {\"code\": \"P1\",}\n]}"),
        ("b.json", r#"{"roles": 3}"#),
        ("c.json", r#"{"levels": [{"code": "", "name": "N"}]}"#),
    ])
    .unwrap_err()
    .0;
    let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert!(
        text[0].starts_with("a.json:2:16: invalid JSON"),
        "{text:#?}"
    );
    assert_eq!(
        text[1],
        "b.json:1:11: roles: expected an array, found a number"
    );
    assert_eq!(text[2], "c.json:1:22: levels[0].code: empty string");

    let bad = SourceFile {
        path: "d.json".into(),
        bytes: b"{\n \"levels\": \xff}".to_vec(),
    };
    let errs = load_sources(vec![bad], vec![]).unwrap_err().0;
    assert_eq!(errs[0].to_string(), "d.json:2:12: not valid UTF-8");
}

/// A UTF-8 byte order mark, as Windows editors save one, is read as white
/// space: the canon is the same, and a problem is placed where it was
/// without one. UTF-16 is named, with what to do.
#[test]
fn a_byte_order_mark_is_read_past_and_utf16_is_named() {
    let embedded = load_embedded().unwrap();
    let with_bom = |bytes: &[u8]| {
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(bytes);
        b
    };
    let files: Vec<SourceFile> = embedded_files()
        .iter()
        .map(|(path, text)| SourceFile {
            path: path.to_string(),
            bytes: with_bom(text.as_bytes()),
        })
        .collect();
    let read = load_sources(files, vec![]).expect("the embedded canon, each file with a mark");
    assert_eq!(read.roles(), embedded.roles());
    assert_eq!(read.levels(), embedded.levels());
    let bad = SourceFile {
        path: "e.json".into(),
        bytes: with_bom(b"{\n \"levels\": 5}"),
    };
    let errs = load_sources(vec![bad], vec![]).unwrap_err().0;
    assert_eq!(
        errs[0].to_string(),
        "e.json:2:12: levels: expected an array, found a number"
    );
    let utf16 = SourceFile {
        path: "f.json".into(),
        bytes: [0xFF, 0xFE, b'{', 0, b'}', 0].to_vec(),
    };
    let errs = load_sources(vec![utf16], vec![]).unwrap_err().0;
    assert_eq!(
        errs[0].to_string(),
        "f.json:1:1: UTF-16 (by its byte order mark); a canon file is UTF-8: save it as UTF-8"
    );
}

/// A control character in canon text (written as a JSON escape) is an
/// error at its string, and so is a character that does not show (every
/// review built from the text would carry it unseen); a tab, the joiners
/// emoji need and the marks right-to-left text needs are text.
#[test]
fn control_characters_in_canon_text_are_errors_where_they_are() {
    let role = |text: &str| {
        format!(
            r#"{{"roles": [{{"id": "r", "title": "R", "family": "F", "levels": {{"P2": {{"responsibilities": ["{text}"]}}}}}}]}}"#
        )
    };
    for (text, said) in [
        (
            r"Bell \u0007 here",
            "control character U+0007 in canon text",
        ),
        (r"\u001b[31mred", "control character U+001B in canon text"),
        (
            r"C1 \u0085 next line",
            "control character U+0085 in canon text",
        ),
        (r"two\nlines", "line break in canon text"),
        (
            "Owns cus\u{ad}tomer renewals",
            "U+00AD SOFT HYPHEN in canon text, which takes no room",
        ),
        (
            r"Leads \u202ethe team",
            "U+202E RIGHT-TO-LEFT OVERRIDE in canon text, which does not show but changes the order",
        ),
        ("a\u{200b}b", "U+200B ZERO WIDTH SPACE in canon text"),
    ] {
        let errs = load(&[("levels.json", LEVELS), ("r.json", &role(text))])
            .unwrap_err()
            .0;
        assert_eq!(errs.len(), 1, "{text}: {errs:?}");
        let e = errs[0].to_string();
        assert!(e.starts_with("r.json:1:92: "), "{text}: {e}");
        assert!(e.contains(said), "{text}: {e}");
    }
    let canon = load(&[
        ("levels.json", LEVELS),
        ("r.json", &role("a\\tb © ° 👩\u{200d}💻 \u{200f}")),
    ])
    .unwrap();
    assert_eq!(
        canon
            .role_at("r", "P2")
            .unwrap()
            .at
            .responsibilities()
            .next(),
        Some("a\tb © ° 👩\u{200d}💻 \u{200f}")
    );
}

/// The schema's text pattern, which editors check canon files with as
/// they are typed, accepts exactly the one-character texts (and each
/// character between two letters) the loader accepts.
#[test]
fn the_schema_refuses_the_texts_the_loader_refuses() {
    let schema: serde_json::Value = serde_json::from_str(crate::canon::SCHEMA).unwrap();
    let pattern = schema["definitions"]["text"]["pattern"].as_str().unwrap();
    let pattern = regex::Regex::new(pattern).unwrap();
    let loads = |text: &str| {
        let role = format!(
            r#"{{"roles": [{{"id": "r", "title": "R", "family": "F", "levels": {{"P2": {{"responsibilities": [{}]}}}}}}]}}"#,
            serde_json::to_string(text).unwrap()
        );
        load(&[("levels.json", LEVELS), ("r.json", &role)]).is_ok()
    };
    // The loader is asked about every character below U+3000 and those
    // the check names beyond it (loading is the slow part).
    let asked = (0..0x3000)
        .chain([0xfeff, 0xfefe, 0xff0c, 0x1_f600])
        .filter_map(char::from_u32);
    for c in asked {
        for text in [c.to_string(), format!("a{c}b")] {
            assert_eq!(pattern.is_match(&text), loads(&text), "{text:?}");
        }
    }
}

#[test]
fn alias_naming_two_roles_and_missing_keys() {
    let roles = r#"{"roles": [
 {"id": "a", "title": "A", "family": "F", "aliases": ["x"], "levels": {}},
 {"id": "b", "title": "B", "family": "F", "aliases": ["X"], "levels": {}},
 {"id": "c", "family": "F", "levels": {}}
]}"#;
    let errs = load(&[("r.json", roles)]).unwrap_err().0;
    let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(text.len(), 2, "{text:#?}");
    assert_eq!(
        text[0],
        "r.json:3:55: roles[1].aliases[0]: `X` names two roles: `a` (at r.json:2:55) and `b`"
    );
    assert_eq!(
        text[1],
        "r.json:4:2: roles[2]: missing required key `title`"
    );
}

#[test]
fn level_codes_match_case_insensitively_and_print_as_written() {
    let role = r#"{"roles": [{"id": "a", "title": "A", "family": "F", "levels": {"p2": {}}}]}"#;
    let canon = load(&[("l.json", LEVELS), ("r.json", role)]).expect("loads");
    let ral = canon.role_at("a", "P2").expect("found");
    assert_eq!(ral.level.code, "P2");
    let err = canon.role_at("a", "P3").unwrap_err();
    assert_eq!(
        err.to_string(),
        "role `a` has no level `P3`; its levels are `P2`"
    );
    let err = canon.role_at("b", "P2").unwrap_err();
    assert_eq!(err.to_string(), "unknown role `b`");
}

/// A canon directory written to a fresh scratch folder.
fn write_dir(name: &str, files: &[(String, Vec<u8>)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("goalframe-load-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (rel, bytes) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("in a folder")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
    dir
}

/// `load_dirs` finds in a directory what `load_sources` finds in the
/// same files, problems across files ("first defined at") included.
#[test]
fn a_directory_loads_as_its_files_do() {
    let role = |id: &str, alias: &str, level: &str| {
        format!(
            r#"{{"roles": [{{"id": "{id}", "title": "T {id}", "family": "F", "aliases": ["{alias}"],
  "levels": {{"{level}": {{"responsibilities": ["Does {id}."], "rubrics": {{"k": "R {id}"}}}}}}}}]}}"#
        )
    };
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("levels.json".into(), LEVELS.into()),
        (
            "more-levels.json".into(),
            br#"{"levels": [{"code": "p2", "name": "Again"}, {"code": "M1", "name": "Lead"}]}"#
                .to_vec(),
        ),
    ];
    for i in 0..120 {
        let (id, alias, level) = match i % 10 {
            // The same id as an earlier file, an alias naming another
            // role, a level no file defines.
            3 => (format!("r{}", i - 1), format!("x{i}"), "P2"),
            5 => (format!("r{i}"), format!("r{}", i - 1), "M1"),
            7 => (format!("r{i}"), format!("x{i}"), "Q7"),
            _ => (format!("r{i}"), format!("x{i}"), "P2"),
        };
        let mut bytes = role(&id, &alias, level).into_bytes();
        match i % 40 {
            11 => bytes.truncate(bytes.len() / 2),
            21 => bytes.extend_from_slice(b"\xff"),
            _ => {}
        }
        files.push((format!("roles/f{}/r{i:03}.json", i % 4), bytes));
    }
    let dir = write_dir("errors", &files);
    let parallel = load_dirs(std::slice::from_ref(&dir)).unwrap_err().0;
    // The same files, in the loader's order, one after another.
    let mut serial_files: Vec<SourceFile> = files
        .iter()
        .map(|(rel, bytes)| SourceFile {
            path: dir.join(rel).display().to_string(),
            bytes: bytes.clone(),
        })
        .collect();
    serial_files.sort_by(|a, b| a.path.cmp(&b.path));
    let serial = load_sources(serial_files, vec![]).unwrap_err().0;
    assert!(parallel.len() > 30, "{parallel:#?}");
    for needle in [
        "first defined at",
        "names two roles",
        "not defined by any canon file",
        "invalid JSON",
        "not valid UTF-8",
        "duplicate level code",
    ] {
        assert!(
            parallel.iter().any(|e| e.message.contains(needle)),
            "no `{needle}` in {parallel:#?}"
        );
    }
    assert_eq!(parallel, serial);

    // And a valid canon comes out the same.
    let valid: Vec<(String, Vec<u8>)> =
        std::iter::once(("levels.json".to_string(), LEVELS.as_bytes().to_vec()))
            .chain((0..50).map(|i| {
                (
                    format!("roles/r{i:02}.json"),
                    role(&format!("r{i}"), &format!("x{i}"), "P2").into_bytes(),
                )
            }))
            .collect();
    let dir = write_dir("valid", &valid);
    let parallel = load_dirs(std::slice::from_ref(&dir)).expect("valid");
    let serial = load_sources(
        valid
            .iter()
            .map(|(rel, bytes)| SourceFile {
                path: rel.clone(),
                bytes: bytes.clone(),
            })
            .collect(),
        vec![],
    )
    .expect("valid");
    assert_eq!(parallel.levels(), serial.levels());
    assert_eq!(parallel.roles(), serial.roles());
    assert_eq!(parallel.roles().len(), 50);
}

/// A role level's texts come out the same whichever a file lists
/// first, responsibilities or rubrics.
#[test]
fn rubrics_listed_first_are_kept_after_responsibilities() {
    let first = r#"{"roles": [{"id": "a", "title": "A", "family": "F", "levels": {"P2": {
            "rubrics": {"k1": "Rubric one.", "k2": "Rubric two 中文."},
            "responsibilities": ["One.", "Two 😀.", "Three."]}}}]}"#;
    let last = r#"{"roles": [{"id": "a", "title": "A", "family": "F", "levels": {"P2": {
            "responsibilities": ["One.", "Two 😀.", "Three."],
            "rubrics": {"k1": "Rubric one.", "k2": "Rubric two 中文."}}}}]}"#;
    let a = load(&[("l.json", LEVELS), ("r.json", first)]).expect("loads");
    let b = load(&[("l.json", LEVELS), ("r.json", last)]).expect("loads");
    let ral = a.role_at("a", "P2").expect("found");
    assert_eq!(
        ral.at.responsibilities().collect::<Vec<_>>(),
        ["One.", "Two 😀.", "Three."]
    );
    assert_eq!(
        ral.at.rubrics().collect::<Vec<_>>(),
        [("k1", "Rubric one."), ("k2", "Rubric two 中文.")]
    );
    assert_eq!(ral.at.rubric("k2"), Some("Rubric two 中文."));
    assert_eq!(ral.at.rubric("k3"), None);
    assert_eq!(a.roles(), b.roles());
}

/// Duplicates are found however many levels a role or rubrics a role
/// level has: past a few, they are looked up in a set rather than the
/// list (which cost the square of their number), and a set must find
/// what the list found, case-insensitively for level codes.
#[test]
fn duplicates_among_many_levels_and_rubrics_are_reported() {
    for n in [3usize, 40, 200] {
        let codes: Vec<String> = (0..n).map(|i| format!("L{i}")).collect();
        let levels = format!(
            r#"{{"levels": [{}]}}"#,
            codes
                .iter()
                .map(|c| format!(r#"{{"code": "{c}", "name": "N"}}"#))
                .collect::<Vec<_>>()
                .join(", ")
        );
        // The last level repeats the second, in another case; the first
        // level's last rubric repeats its second.
        let mut role_levels: Vec<String> = codes
            .iter()
            .map(|c| format!(r#""{c}": {{"responsibilities": ["x"]}}"#))
            .collect();
        role_levels.push(r#""l1": {"responsibilities": ["y"]}"#.to_string());
        let mut rubrics: Vec<String> = (0..n).map(|i| format!(r#""k{i}": "t""#)).collect();
        rubrics.push(r#""k1": "again""#.to_string());
        role_levels[0] = format!(
            r#""L0": {{"responsibilities": ["x"], "rubrics": {{{}}}}}"#,
            rubrics.join(", ")
        );
        let role = format!(
            r#"{{"roles": [{{"id": "a", "title": "A", "family": "F", "levels": {{{}}}}}]}}"#,
            role_levels.join(", ")
        );
        let errs = load(&[("levels.json", &levels), ("a.json", &role)])
            .unwrap_err()
            .0;
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(errs.len(), 2, "{n}: {text:#?}");
        assert!(
            text.iter().any(|t| t.contains("duplicate rubric `k1`")),
            "{n}: {text:#?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("duplicate level `l1` in this role")),
            "{n}: {text:#?}"
        );
    }
}
