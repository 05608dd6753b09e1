//! End-to-end tests of `goalframe lint` against the built binary: golden
//! outputs of every format on `examples/`, the formats' contracts (SARIF
//! 2.1.0 fields, JSON read back, workflow-command syntax), file discovery,
//! bad input, and exit codes.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::*;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn lint_examples(format: &str) -> std::process::Output {
    run_in(&repo(), &["lint", "examples/", "--format", format])
}

#[test]
fn every_format_matches_its_golden_file() {
    for (format, ext) in [
        ("human", "human"),
        ("json", "json"),
        ("sarif", "sarif"),
        ("github", "github"),
    ] {
        let o = lint_examples(format);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        support::fixture::assert_golden(&format!("lint-examples.{ext}"), &stdout(&o));
        assert!(o.stderr.is_empty(), "{format}: {}", stderr(&o));
    }
}

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

/// The goal-quality codes, in the order SARIF lists their rules.
const QUALITY_CODES: [&str; 7] = [
    "unmeasurable-target",
    "invalid-date",
    "date-outside-cycle",
    "date-mismatch",
    "baseline-equals-target",
    "template-drift",
    "invalid-metadata",
];

#[test]
fn the_examples_list_every_placeholder_and_the_drifted_sentence() {
    let v = json_of(&lint_examples("json"));
    let findings = v["findings"].as_array().unwrap();
    let draft = std::fs::read_to_string(repo().join("examples/review-draft.md")).unwrap();
    let placeholders = draft.matches('⟨').count();
    let by_code = |c: &str| findings.iter().filter(|f| f["code"] == c).count();
    assert_eq!(by_code("unfilled-placeholder"), placeholders);
    assert_eq!(by_code("canon-drift"), 1);
    // The draft shows each goal-quality code once.
    let quality = QUALITY_CODES;
    for code in quality {
        assert_eq!(by_code(code), 1, "{code}");
    }
    assert_eq!(
        findings.len(),
        placeholders + 1 + quality.len(),
        "nothing else, and nothing from the filled review"
    );
    let drift = findings
        .iter()
        .find(|f| f["code"] == "canon-drift")
        .unwrap();
    assert!(drift["message"].as_str().unwrap().contains(
        "\"Maintains an accurate sales pipeline so that company-wide forecasting remains precise, updating stages and close dates in the CRM.\""
    ));
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["summary"]["warnings"], placeholders + 1 + quality.len());
    assert!(findings
        .iter()
        .all(|f| f["path"] == "examples/review-draft.md"));
    // Sorted by position.
    let keys: Vec<(u64, u64)> = findings
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn filling_the_placeholders_and_restoring_the_canon_makes_it_pass() {
    let dir = scratch("filled");
    std::fs::create_dir_all(dir.join("examples")).unwrap();
    for name in ["review-draft.md", "review-filled.md"] {
        std::fs::copy(
            repo().join("examples").join(name),
            dir.join("examples").join(name),
        )
        .unwrap();
    }
    let v = json_of(&run_in(&dir, &["lint", "examples", "--format", "json"]));
    // Apply every quick fix (canon text restored, the Measurable date
    // copied into Time-bound, the reworded row restored) as byte edits,
    // last first, then fill the placeholders and correct what only the
    // author can.
    let path = dir.join("examples/review-draft.md");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut fixed = Vec::new();
    for f in v["findings"].as_array().unwrap() {
        let Some(fix) = f["fixes"].get(0) else {
            continue;
        };
        fixed.push(f["code"].as_str().unwrap().to_string());
        for e in fix["edits"].as_array().unwrap() {
            edits.push((
                e["byteStart"].as_u64().unwrap() as usize,
                e["byteEnd"].as_u64().unwrap() as usize,
                e["newText"].as_str().unwrap().to_string(),
            ));
        }
    }
    fixed.sort();
    assert_eq!(fixed, ["canon-drift", "date-mismatch", "template-drift"]);
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (s, e, t) in edits {
        text.replace_range(s..e, &t);
    }
    let text = text
        .replace("⟨baseline⟩", "12 deals")
        .replace("⟨target⟩", "18 deals")
        .replace("⟨date⟩", "2027-06-30")
        .replace("owner: lee.moreno\n", "owner: lee.moreno@example.com\n")
        .replace("to more deals", "to 18 deals")
        .replace(
            "to 3 quotes reworked per month by 2027-02-30",
            "to 1 quote reworked per month by 2027-06-30",
        )
        .replace("by 2027-09-30", "by 2027-06-30");
    std::fs::write(&path, text).unwrap();
    let o = run_in(&dir, &["lint", "examples"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "2 files checked: no problems\n");
}

/// `--fix` writes the safe fixes (the editor's fix-all: canon text
/// restored, the Measurable date copied into Time-bound) into the files,
/// in their own encoding, and reports what is left; a file it cannot
/// write back as it was read is named and left as it was.
#[test]
fn fix_writes_the_safe_fixes_and_reports_what_is_left() {
    let dir = scratch("fix");
    let draft = std::fs::read_to_string(repo().join("examples/review-draft.md")).unwrap();
    std::fs::write(dir.join("draft.md"), &draft).unwrap();
    let bom = [b"\xEF\xBB\xBF".as_slice(), draft.as_bytes()].concat();
    std::fs::write(dir.join("bom.md"), &bom).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(draft.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(dir.join("utf16.md"), &utf16).unwrap();
    std::fs::write(dir.join("locked.md"), &draft).unwrap();
    let mut locked = std::fs::metadata(dir.join("locked.md"))
        .unwrap()
        .permissions();
    locked.set_readonly(true);
    std::fs::set_permissions(dir.join("locked.md"), locked).unwrap();

    let codes = |o: &std::process::Output, file: &str| -> Vec<String> {
        json_of(o)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == file)
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    let before = run_in(&dir, &["lint", ".", "--format", "json"]);
    let o = run_in(&dir, &["lint", ".", "--fix", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "bom.md: fixed 2 problems\n\
         draft.md: fixed 2 problems\n\
         warning: locked.md: not fixed: it is read-only\n\
         warning: utf16.md: not fixed: it is UTF-16; fix it in an editor\n"
    );
    // What is left is reported, and it is all that was there but the two
    // fixed findings.
    let safe = ["canon-drift", "date-mismatch"];
    let left: Vec<String> = codes(&before, "draft.md")
        .into_iter()
        .filter(|c| !safe.contains(&c.as_str()))
        .collect();
    assert_eq!(left.len() + 2, codes(&before, "draft.md").len());
    assert_eq!(codes(&o, "draft.md"), left);
    assert_eq!(codes(&o, "bom.md"), left);
    assert_eq!(codes(&o, "locked.md"), codes(&before, "locked.md"));
    assert_eq!(codes(&o, "utf16.md"), codes(&before, "utf16.md"));
    // The files: the canon sentence back, the dates in step, the mark kept.
    let fixed = std::fs::read_to_string(dir.join("draft.md")).unwrap();
    assert!(fixed.contains("Deliver: \"Maintains an accurate sales pipeline so that company-wide forecasting remains precise, updating stages and close dates in the CRM.\""));
    assert!(!fixed.contains("- **Time-bound:** 2027-05-31"));
    assert_eq!(
        std::fs::read(dir.join("bom.md")).unwrap(),
        [b"\xEF\xBB\xBF".as_slice(), fixed.as_bytes()].concat()
    );
    assert_eq!(std::fs::read(dir.join("utf16.md")).unwrap(), utf16);
    assert_eq!(
        std::fs::read_to_string(dir.join("locked.md")).unwrap(),
        draft
    );
    // The report's byte offsets index the files as they now are.
    for f in json_of(&o)["findings"].as_array().unwrap() {
        if f["path"] == "draft.md" && f["code"] == "unfilled-placeholder" {
            let (s, e) = (
                f["byteStart"].as_u64().unwrap(),
                f["byteEnd"].as_u64().unwrap(),
            );
            assert!(fixed[s as usize..e as usize].starts_with('⟨'), "{f}");
        }
    }
    // Nothing is left to fix: a second run writes nothing and says nothing.
    let o = run_in(&dir, &["lint", "draft.md", "bom.md", "--fix"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "");
    assert_eq!(
        std::fs::read_to_string(dir.join("draft.md")).unwrap(),
        fixed
    );
    // Standard input is no file to write.
    let o = run_in(&dir, &["lint", "--fix", "-"]);
    assert_said(
        &o,
        2,
        "--fix writes the files it fixes; standard input (`-`) is no file",
    );
}

/// The json report's byte offsets index the file as it is on disk: after
/// a UTF-8 byte order mark, and in UTF-16 (two bytes a unit, after the
/// mark) too, so a tool applying the fixes to the file's bytes (their
/// text in the file's encoding) gets what it would from plain UTF-8.
#[test]
fn byte_offsets_and_fixes_index_the_file_in_its_own_encoding() {
    let plain = std::fs::read_to_string(repo().join("examples/review-draft.md"))
        .unwrap()
        .replace('\n', "\r\n")
        + "关键结果 😀 ⟨target⟩ 😀 by ⟨date⟩\r\n";
    let dir = scratch("encodings");
    // What each finding covers and what its fixes make, by the file's own
    // offsets, decoded.
    let read_back = |enc: &str| -> (Vec<(String, String)>, String) {
        let path = dir.join(format!("{enc}.md"));
        let mut bytes = encoded_file(&plain, enc);
        std::fs::write(&path, &bytes).unwrap();
        let v = json_of(&run_in(
            &dir,
            &["lint", "--format", "json", &format!("{enc}.md")],
        ));
        let at = |o: &Value, k: &str| o[k].as_u64().unwrap() as usize;
        let mut covered = Vec::new();
        let mut edits = Vec::new();
        for f in v["findings"].as_array().unwrap() {
            let (a, b) = (at(f, "byteStart"), at(f, "byteEnd"));
            covered.push((
                f["code"].as_str().unwrap().to_string(),
                decode(&bytes[a..b], enc),
            ));
            if let Some(fix) = f["fixes"].get(0) {
                for e in fix["edits"].as_array().unwrap() {
                    edits.push((
                        at(e, "byteStart"),
                        at(e, "byteEnd"),
                        e["newText"].as_str().unwrap().to_string(),
                    ));
                }
            }
        }
        assert!(edits.len() >= 3, "{enc}: {edits:?}");
        edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        for (a, b, t) in edits {
            bytes.splice(a..b, encode(&t, enc));
        }
        (covered, decode(&bytes[mark(enc).len()..], enc))
    };
    let (covered, fixed) = read_back("utf8");
    assert!(covered.iter().any(|(_, t)| t == "⟨target⟩"), "{covered:?}");
    assert!(fixed.contains("关键结果 😀"));
    for enc in ["utf8bom", "utf16le", "utf16be"] {
        let (c, f) = read_back(enc);
        assert_eq!(c, covered, "{enc}");
        assert_eq!(f, fixed, "{enc}");
    }
}

#[test]
fn sarif_has_the_required_2_1_0_fields() {
    let v = json_of(&lint_examples("sarif"));
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "goalframe");
    let rules: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            &[
                "unfilled-placeholder",
                "unknown-role",
                "unknown-level",
                "canon-drift"
            ][..],
            &QUALITY_CODES[..6],
            &["wrapped-row", "unread-heading", "duplicate-frame"],
            &QUALITY_CODES[6..],
            &["hidden-character"],
        ]
        .concat()
    );
    for r in driver["rules"].as_array().unwrap() {
        assert!(!r["help"]["text"].as_str().unwrap_or("").is_empty(), "{r}");
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let rule = r["ruleId"].as_str().unwrap();
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize], rule);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "examples/review-draft.md");
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(loc["region"][k].as_u64().unwrap() >= 1, "{k}");
        }
    }
}

#[test]
fn github_lines_are_workflow_commands() {
    let out = stdout(&lint_examples("github"));
    let json = json_of(&lint_examples("json"));
    let findings = json["findings"].as_array().unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings.len());
    for (line, f) in lines.iter().zip(findings) {
        let (head, message) = line
            .strip_prefix("::")
            .unwrap()
            .split_once("::")
            .expect("::cmd props::message");
        let (cmd, props) = head.split_once(' ').unwrap();
        assert_eq!(cmd, f["severity"].as_str().unwrap());
        let props: Vec<(&str, &str)> = props
            .split(',')
            .map(|p| p.split_once('=').unwrap())
            .collect();
        let keys: Vec<&str> = props.iter().map(|p| p.0).collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"]
        );
        assert_eq!(props[1].1, f["line"].to_string());
        assert_eq!(props[2].1, f["column"].to_string());
        assert!(!message.contains('\n') && !message.contains('\r'));
        assert_eq!(message, f["message"].as_str().unwrap().replace('%', "%25"));
    }
}

#[test]
fn messages_are_escaped_for_workflow_commands() {
    let dir = scratch("gh-escape");
    std::fs::write(dir.join("a,b:c.md"), "⟨100%⟩\n").unwrap();
    let o = run_in(&dir, &["lint", "--format", "github"]);
    assert_eq!(stdout(&o), "::warning file=a%2Cb%3Ac.md,line=1,col=1,endLine=1,endColumn=7,title=goalframe unfilled-placeholder::unfilled placeholder ⟨100%25⟩\n");
}

/// A SARIF uri is made from the file name's own bytes: one that is not
/// UTF-8 keeps its byte (`%FF`), where the name shown elsewhere has U+FFFD;
/// a `\` is part of a name, not a folder separator.
#[test]
fn a_sarif_uri_names_the_file_byte_for_byte() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("sarif-names");
    let names: [&[u8]; 2] = [b"caf\xff.md", b"a\\b.md"];
    for name in names {
        std::fs::write(
            dir.join(std::ffi::OsStr::from_bytes(name)),
            "\u{27e8}target\u{27e9}\n",
        )
        .unwrap();
    }
    let o = run_in(&dir, &["lint", "--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&o.stdout).expect("sarif");
    let mut uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    uris.sort_unstable();
    assert_eq!(uris, ["a%5Cb.md", "caf%FF.md"]);
}

#[test]
fn directories_honour_ignore_files_globs_and_stdin() {
    let dir = scratch("walk");
    let w = |p: &str, t: &str| {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    };
    w("b.md", "⟨target⟩\n");
    w("a/z.txt", "⟨date⟩\n");
    w("a/y.markdown", "⟨date⟩\n");
    w("a/skip.rs", "⟨date⟩\n");
    w("ignored/x.md", "⟨date⟩\n");
    w(".hidden/x.md", "⟨date⟩\n");
    w(".ignore", "ignored/\n");
    let o = run_in(&dir, &["lint", "--format", "json"]);
    let v = json_of(&o);
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a/y.markdown", "a/z.txt", "b.md"]);

    let o = run_in(&dir, &["lint", "a/*.txt", "--format", "json"]);
    let v = json_of(&o);
    assert_eq!(v["findings"][0]["path"], "a/z.txt");
    assert_eq!(v["summary"]["files"], 1);

    let mut child = std::process::Command::new(bin())
        .args(["lint", "-", "--format", "json"])
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("`⟨code⟩` ⟨target⟩\n".as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let v = json_of(&o);
    assert_eq!(
        v["findings"].as_array().unwrap().len(),
        1,
        "stdin is markdown: code spans are skipped"
    );
    assert_eq!(v["findings"][0]["path"], "<stdin>.md");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn binary_and_invalid_utf8_files_are_reported_and_skipped() {
    let dir = scratch("bad-files");
    std::fs::write(dir.join("bin.md"), b"PNG\0\0\0data").unwrap();
    std::fs::write(
        dir.join("latin1.md"),
        b"ok line\ncaf\xe9 \xe2\x9f\xa8target\xe2\x9f\xa9\n",
    )
    .unwrap();
    std::fs::write(dir.join("good.md"), "fine\n").unwrap();
    // UTF-16 without its byte order mark, as some Windows tools save it.
    let utf16: Vec<u8> = "Goals\n⟨target⟩\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(dir.join("u16.md"), utf16).unwrap();
    // Documents CI never read fail the run...
    let o = run_in(&dir, &["lint"]);
    assert_eq!(o.status.code(), Some(2));
    let u16_said = "u16.md: skipped: UTF-16 (little endian) without a byte order mark: save it as UTF-8, or as UTF-16 with its mark";
    assert_eq!(stderr(&o), format!("error: bin.md: skipped: binary file (it has NUL bytes)\nerror: latin1.md: skipped: not valid UTF-8 at 2:4 (byte 11)\nerror: {u16_said}\nerror: 3 paths were not checked; pass --allow-skipped to accept that\n"));
    assert_eq!(stdout(&o), "1 file checked: no problems\n");
    // ...unless that is accepted.
    let o = run_in(&dir, &["lint", "--allow-skipped"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), format!("warning: bin.md: skipped: binary file (it has NUL bytes)\nwarning: latin1.md: skipped: not valid UTF-8 at 2:4 (byte 11)\nwarning: {u16_said}\n"));
    let v = json_of(&run_in(&dir, &["lint", "--format", "json"]));
    assert_eq!(v["summary"]["skipped"].as_array().unwrap().len(), 3);
}

#[test]
fn exit_codes_follow_fail_on_and_usage_errors_are_2() {
    let dir = scratch("exit");
    std::fs::write(dir.join("w.md"), "⟨date⟩\n").unwrap();
    assert_eq!(run_in(&dir, &["lint"]).status.code(), Some(1));
    assert_eq!(
        run_in(&dir, &["lint", "--fail-on", "error"]).status.code(),
        Some(0)
    );
    assert_eq!(
        run_in(&dir, &["lint", "--fail-on", "never"]).status.code(),
        Some(0)
    );
    std::fs::write(dir.join("e.md"), "@nobody/p2\n").unwrap();
    assert_eq!(
        run_in(&dir, &["lint", "--fail-on", "error"]).status.code(),
        Some(1)
    );
    let o = run_in(&dir, &["lint", "missing.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: missing.md: no such file or directory\n");
    // A link whose file is gone says so, and where it leads.
    std::os::unix::fs::symlink("gone/old.md", dir.join("latest.md")).unwrap();
    let o = run_in(&dir, &["lint", "latest.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: latest.md is a symbolic link to gone/old.md, which does not exist\n"
    );
    assert_eq!(
        run_in(&dir, &["lint", "--format", "xml"]).status.code(),
        Some(2)
    );
    let broken = canon_dir("lint-broken-canon", &[("l.json", "{\"levels\": [}")]);
    let o = run_in(&dir, &["lint", "--canon", broken.to_str().unwrap()]);
    assert_said(&o, 2, "l.json:1:13: invalid JSON");
    // Severity settings from goalframe.toml apply.
    std::fs::write(
        dir.join("goalframe.toml"),
        "[severity]\nunknown-role = \"off\"\nunfilled-placeholder = \"hint\"\n",
    )
    .unwrap();
    let o = run_in(&dir, &["lint"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).ends_with("2 files checked: 0 errors, 0 warnings, 1 hint\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_reader_that_goes_away_ends_the_run_quietly() {
    // `goalframe lint | head`: once the report's reader closes the pipe,
    // the run ends without an error about writing and without a panic.
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = scratch("broken-pipe");
    for i in 0..200 {
        std::fs::write(
            dir.join(format!("r{i:03}.md")),
            "⟨date⟩ ⟨target⟩\n".repeat(200),
        )
        .unwrap();
    }
    let mut child = Command::new(bin())
        .args(["lint", "--fail-on", "never"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn goalframe");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("read a line");
    assert!(
        first.starts_with("warning[unfilled-placeholder]"),
        "{first}"
    );
    // The reader is dropped here: the pipe is closed.
    let o = child.wait_with_output().expect("goalframe ends");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}
