//! What the command line does with inputs that are not what they seem:
//! symbolic link loops, FIFOs and devices in canon directories, a canon
//! named twice, output that cannot be written. Each must end at once with
//! a clear message (a hang fails the test through its bounded wait).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::*;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the binary, killing it (and failing) if it has not ended in 20 s.
fn run_bounded(args: &[&str]) -> Output {
    run_bounded_on(args, Stdio::null())
}

/// [`run_bounded`] with these environment variables.
fn run_bounded_env(args: &[&str], env: &[(&str, &Path)]) -> Output {
    run_bounded_with(args, Stdio::null(), env)
}

/// [`run_bounded`] with `stdin` as its standard input. Its output is read
/// while it runs: a child whose output outgrew the pipe would wait for a
/// reader for ever, and look hung.
fn run_bounded_on(args: &[&str], stdin: Stdio) -> Output {
    run_bounded_with(args, stdin, &[])
}

fn run_bounded_with(args: &[&str], stdin: Stdio, env: &[(&str, &Path)]) -> Output {
    let mut child = Command::new(bin())
        .envs(env.iter().copied())
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn goalframe");
    let drain = |r: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                std::io::Read::read_to_end(&mut r, &mut buf).expect("read output");
            }
            buf
        })
    };
    let out = drain(child.stdout.take().map(|r| Box::new(r) as _));
    let err = drain(child.stderr.take().map(|r| Box::new(r) as _));
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("goalframe {args:?} did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    }
}

/// A copy of the default canon in a scratch directory.
fn canon_copy(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::copy(repo().join("canon/levels.json"), dir.join("levels.json")).unwrap();
    std::fs::create_dir(dir.join("roles")).unwrap();
    for e in std::fs::read_dir(repo().join("canon/roles")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join("roles").join(e.file_name())).unwrap();
    }
    dir
}

#[test]
fn symbolic_link_loops_in_a_canon_are_reported_not_followed() {
    let dir = canon_copy("loops");
    std::os::unix::fs::symlink(".", dir.join("a")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("roles/up")).unwrap();
    let o = run_bounded(&["canon", "check", "--canon", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("a:1:1: symbolic link loop"), "{err}");
    assert!(err.contains("up:1:1: symbolic link loop"), "{err}");
    // The same through goalframe.toml.
    let cfg = dir.join("goalframe.toml");
    std::fs::write(&cfg, format!("canon = [{:?}]\n", dir.to_str().unwrap())).unwrap();
    let o = run_bounded(&["canon", "check", "--config", cfg.to_str().unwrap()]);
    assert_said(&o, 2, "symbolic link loop");
}

#[test]
fn fifos_and_devices_in_a_canon_are_named_for_what_they_are() {
    let dir = canon_copy("fifo");
    let fifo = dir.join("roles/pipe.json");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.json")).unwrap();
    let o = run_bounded(&["canon", "check", "--canon", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("pipe.json:1:1: cannot read: not a regular file: it is a named pipe (FIFO)"),
        "{err}"
    );
    assert!(
        err.contains("zero.json:1:1: cannot read: not a regular file: it is a character device"),
        "{err}"
    );
}

#[test]
fn a_config_that_is_a_device_is_refused_not_read() {
    let o = run_bounded(&["canon", "check", "--config", "/dev/zero"]);
    assert_said(
        &o,
        2,
        "/dev/zero: not a regular file: it is a character device",
    );
}

#[test]
fn a_canon_named_twice_is_loaded_once() {
    let dir = canon_copy("twice");
    let d = dir.to_str().unwrap();
    let slash = format!("{d}/");
    let o = run_bounded(&[
        "canon", "check", "--canon", d, "--canon", &slash, "--canon", d,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("canon ok: 1 role,"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn output_that_cannot_be_written_is_an_error() {
    let examples = repo().join("examples");
    let examples = examples.to_str().expect("a UTF-8 path");
    for args in [
        &["render", "ae", "p2"][..],
        &["canon", "list"],
        &["canon", "check"],
        &["canon", "export", "--format", "csv"],
        &["lint", examples],
        &["lint", "--format", "json", examples],
        &["lint", "--format", "sarif", examples],
        &["lint", "--format", "github", examples],
        &["report", examples],
        &["export", "--allow-incomplete", examples],
        &["export", "--format", "csv", "--allow-incomplete", examples],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let o = Command::new(bin())
            .args(args)
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("writing to standard output"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    // Nor is a failing stderr a panic.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let o = Command::new(bin())
        .args(["render", "nosuchrole", "p2"])
        .stderr(full)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
}

/// Every file goalframe writes with `--output` or `--out`, when the disk
/// fills up halfway: the write fails (a file size limit stands in for the
/// full disk, and SIGXFSZ is ignored so the write returns the error, as
/// ENOSPC does), the command says so naming the file asked for, the file
/// or directory that was there is left as it was, and no temporary file
/// is left behind.
#[test]
fn an_output_the_disk_cannot_hold_leaves_what_was_there() {
    let dir = scratch("output-full-disk");
    std::fs::copy(
        repo().join("examples/review-filled.md"),
        dir.join("review.md"),
    )
    .unwrap();
    let canon_csv: &[&str] = &[
        "canon",
        "export",
        "--format",
        "csv",
        "--output",
        "canon.csv",
    ];
    // The sheet `canon import` reads below.
    let o = run_in(&dir, canon_csv);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::create_dir(dir.join("hr")).unwrap();
    std::fs::write(dir.join("hr/keep.json"), "{}").unwrap();
    let cases: [(&str, &[&str]); 5] = [
        (
            "goals.csv",
            &[
                "export",
                "review.md",
                "--format",
                "csv",
                "--output",
                "goals.csv",
            ],
        ),
        (
            "status.html",
            &[
                "report",
                "review.md",
                "--format",
                "html",
                "--output",
                "status.html",
            ],
        ),
        ("canon.csv", canon_csv),
        (
            "canon.xlsx",
            &[
                "canon",
                "export",
                "--format",
                "xlsx",
                "--output",
                "canon.xlsx",
            ],
        ),
        (
            "hr",
            &["canon", "import", "canon.csv", "--out", "hr", "--force"],
        ),
    ];
    let listing = |d: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    // What a target holds: a directory's names, a file's text.
    let held = |path: &Path| {
        if path.is_dir() {
            listing(path)
        } else {
            vec![std::fs::read_to_string(path).unwrap_or_default()]
        }
    };
    for (target, args) in cases {
        let path = dir.join(target);
        if !path.exists() {
            std::fs::write(&path, "what was there\n").unwrap();
        }
        let before = held(&path);
        let files_before = listing(&dir);
        // 1 block of 512 bytes: each of these outputs is larger.
        let o = Command::new("sh")
            .current_dir(&dir)
            .args(["-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"", bin()])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run sh");
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("File too large"), "{args:?}: {err}");
        let named = err.contains(&format!(" {target}: ")) || err.contains(&format!(" {target}/"));
        assert!(named, "{args:?} names {target}: {err}");
        assert!(
            !err.contains(".new-"),
            "{args:?} names its temporary file: {err}"
        );
        assert_eq!(held(&path), before, "{args:?} changed {target}");
        assert_eq!(listing(&dir), files_before, "{args:?} left a file behind");
    }
}

#[test]
fn a_closed_pipe_stays_a_quiet_success() {
    let mut child = Command::new(bin())
        .args(["render", "ae", "p2", "--frame", "all"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

/// The walk reads every folder's ignore files whole: one that is a named
/// pipe hung `lint .` for ever, and one linked to `/dev/zero` would fill
/// the memory. Such a folder is named and passed over; the rest is
/// checked. The same for the folder walked and the folders above it.
#[test]
fn an_ignore_file_that_is_a_pipe_or_a_device_does_not_hang_the_walk() {
    let dir = scratch("ignore-fifo");
    std::fs::write(dir.join("good.md"), "fine\n").unwrap();
    for (sub, name) in [("piped", ".ignore"), ("zeros", ".gitignore")] {
        std::fs::create_dir(dir.join(sub)).unwrap();
        std::fs::write(dir.join(sub).join("a.md"), "fine\n").unwrap();
        let at = dir.join(sub).join(name);
        if sub == "piped" {
            assert!(Command::new("mkfifo")
                .arg(&at)
                .status()
                .expect("mkfifo")
                .success());
        } else {
            std::os::unix::fs::symlink("/dev/zero", &at).unwrap();
        }
    }
    let d = dir.to_str().unwrap();
    let o = run_bounded(&["lint", d]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{d}/piped: skipped: its ignore file .ignore is a named pipe (FIFO), not a regular file; the folder is not checked")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{d}/zeros: skipped: its ignore file .gitignore is a character device, not a regular file; the folder is not checked")),
        "{err}"
    );
    assert!(stdout(&o).starts_with("1 file checked"), "{}", stdout(&o));
    // The folder walked, and one below a folder with such a file.
    let piped = format!("{d}/piped");
    std::fs::create_dir(dir.join("piped/deeper")).unwrap();
    for walked in [piped.clone(), format!("{piped}/deeper")] {
        let o = run_bounded(&["lint", &walked]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let said = format!("{piped}: skipped: its ignore file .ignore");
        assert!(stderr(&o).contains(&said), "{}", stderr(&o));
    }
    // git's config files, read whole for the global ignore file's name:
    // one that is a named pipe is passed over, with a warning, once.
    let home = dir.join("home");
    std::fs::create_dir(&home).unwrap();
    let config = home.join(".gitconfig");
    assert!(Command::new("mkfifo")
        .arg(&config)
        .status()
        .expect("mkfifo")
        .success());
    // Two walks, one warning; `/dev/null` (as CI often sets it) is no
    // obstacle.
    let zeros = dir.join("zeros");
    std::fs::remove_file(zeros.join(".gitignore")).unwrap();
    let null = Path::new("/dev/null");
    let env = [("HOME", home.as_path()), ("GIT_CONFIG_GLOBAL", null)];
    let o = run_bounded_env(&["lint", d, zeros.to_str().unwrap()], &env);
    let warned = format!(
        "warning: git's global ignore file is not read: {} is a named pipe (FIFO), not a regular file",
        config.display()
    );
    assert_eq!(stderr(&o).matches(&warned).count(), 1, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("2 files checked"), "{}", stdout(&o));
}

#[test]
fn lint_names_what_it_could_not_check_and_exits_2() {
    let dir = scratch("lint-odd");
    std::fs::write(dir.join("good.md"), "fine\n").unwrap();
    let made = Command::new("mkfifo")
        .arg(dir.join("pipe.md"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    std::os::unix::fs::symlink("loop.md", dir.join("loop.md")).unwrap();
    let d = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let cases: [(&[String], &str); 5] = [
        (
            &[d("pipe.md")],
            "pipe.md: skipped: not a regular file: it is a named pipe (FIFO)",
        ),
        (
            &["/dev/null".into()],
            "/dev/null: skipped: not a regular file: it is a character device",
        ),
        (
            &[d("loop.md")],
            "loop.md: Too many levels of symbolic links",
        ),
        (&["".into()], "error: an empty path was given"),
        (
            &[format!("{}/*.txt", dir.display())],
            "skipped: no file matches this glob",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["lint".to_string()];
        all.extend(args.iter().cloned());
        all.push(d("good.md"));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let o = run_bounded(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
    }
    // A glob whose only matches are ignored or hidden says so, and how to
    // check them (it said only "no file matches this glob").
    std::fs::create_dir(dir.join("drafts")).unwrap();
    std::fs::write(dir.join("drafts/ana.txt"), "fine\n").unwrap();
    std::fs::write(dir.join("drafts/.ben.txt"), "fine\n").unwrap();
    std::fs::write(dir.join(".ignore"), "drafts/ana.txt\n").unwrap();
    let o = run_bounded(&["lint", &format!("{}/drafts/*.txt", dir.display())]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "skipped: no file matches this glob except 2 that are hidden or ignored (.gitignore, .ignore); name them to check them"
        ),
        "{}",
        stderr(&o)
    );
    let o = run_bounded(&["lint", &d("drafts/ana.txt"), &d("drafts/.ben.txt")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A glob below a folder that is not there is one problem, said in
    // goalframe's words (the walk of the folder was a second one, "No such
    // file or directory (os error 2)").
    let glob = format!("{}/gone/**/*.md", dir.display());
    let o = run_bounded(&["lint", &glob, &d("good.md")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "error: {glob}: skipped: no file matches this glob: there is no folder {}/gone\nerror: 1 path was not checked; pass --allow-skipped to accept that\n",
            dir.display()
        )
    );
    std::fs::remove_file(dir.join(".ignore")).unwrap();
    // A FIFO met while walking a folder is skipped by the walk (not a
    // file), never read: the run ends.
    let o = run_bounded(&["lint", dir.to_str().unwrap(), "--allow-skipped"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A part of a folder the walk cannot read (here a path longer than the
/// system allows; a folder without permission is the same to the walk)
/// is named as skipped, and the rest of the folder is still checked: the
/// first such error ended the whole run before anything was checked, even
/// with `--allow-skipped`, and the language server's workspace pass
/// stopped there.
#[test]
fn what_a_walk_cannot_read_is_skipped_and_the_rest_is_checked() {
    let dir = scratch("walk-error");
    std::fs::write(dir.join("top.md"), "⟨date⟩\n").unwrap();
    // 3,000 folders deep: about 6,000 bytes of path, more than a path
    // may have (4,096), made in steps a path may take.
    let step = "a/".repeat(1000);
    // (`set -P`: bash follows the folders themselves, not a path it
    // would have to spell out whole.)
    let made = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -P; cd {0} && mkdir -p {1} && cd {1} && mkdir -p {1} && cd {1} && mkdir -p {1} && cd {1} && echo x > deep.md",
            dir.display(),
            step
        ))
        .status()
        .expect("bash");
    assert!(made.success());
    let d = dir.to_str().unwrap();
    let o = run_bounded(&["lint", d, "--format", "github"]);
    assert_said(&o, 2, ": skipped: File name too long");
    assert!(
        stdout(&o).contains("top.md,line=1,col=1,"),
        "{}",
        stdout(&o)
    );
    let o = run_bounded(&["lint", d, "--allow-skipped"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).ends_with("1 file checked: 0 errors, 1 warning\n"),
        "{}",
        stdout(&o)
    );
    // The folder is left for `rm`, which walks one too deep for a path.
    let _ = Command::new("rm").arg("-rf").arg(&dir).status();
}

/// Standard input that never ends (`/dev/zero`, a generator) is refused
/// at the document limit: it was read until memory ran out.
#[test]
fn endless_standard_input_is_refused_at_the_document_limit() {
    let zero = std::fs::File::open("/dev/zero").expect("/dev/zero");
    let o = run_bounded_on(&["lint", "-"], Stdio::from(zero));
    assert_said(&o, 2, "<stdin>.md: skipped: larger than the 512 MiB limit");
}

/// A value of a megabyte (a paste into a slot, a runaway token, a cell
/// of a spreadsheet) is quoted in a message by its two ends: each message
/// quoted it whole, and a 400 MB cell made an 800 MB error report.
#[test]
fn messages_quote_a_huge_value_by_its_ends() {
    let dir = scratch("huge-values");
    let big = |c: &str| c.repeat(1 << 20);
    let frame = stdout(&run(&[
        "render", "ae", "p2", "--frame", "smart", "--format", "markdown",
    ]));
    let (y, z) = (big("y"), big("z"));
    let frame = frame
        .replacen(
            "from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩",
            &format!("from {y} to {y} by {z}"),
            1,
        )
        .replacen("**Time-bound:** ⟨date⟩", &format!("**Time-bound:** {z}"), 1);
    let doc = format!(
        "---\nowner: {}\ncycle_end: {}\n{}: x\n---\n@{}/p2\n\n{frame}",
        big("o"),
        big("9"),
        // YAML takes keys of at most 1,024 characters.
        "k".repeat(1000),
        big("r")
    );
    std::fs::write(dir.join("big.md"), doc).unwrap();
    let o = run_bounded(&[
        "lint",
        "--format",
        "json",
        dir.join("big.md").to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let mut codes: Vec<&str> = Vec::new();
    for f in v["findings"].as_array().unwrap() {
        let message = f["message"].as_str().unwrap();
        assert!(message.chars().count() < 300, "{}…", &message[..300]);
        codes.push(f["code"].as_str().unwrap());
    }
    for code in [
        "invalid-metadata",
        "unknown-role",
        "unmeasurable-target",
        "baseline-equals-target",
        "invalid-date",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    assert_eq!(
        codes.iter().filter(|c| **c == "invalid-metadata").count(),
        3
    );
    // The canon's errors, from its JSON and from a spreadsheet.
    let canon = canon_copy("huge-key");
    let role = std::fs::read_to_string(canon.join("roles/account-executive-field-sales.json"))
        .unwrap()
        .replacen('{', &format!("{{\"{}\": 1,", big("k")), 1);
    std::fs::write(canon.join("roles/account-executive-field-sales.json"), role).unwrap();
    let o = run_bounded(&["canon", "check", "--canon", canon.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", &stderr(&o)[..300]);
    let csv = dir.join("huge.csv");
    std::fs::write(
        &csv,
        format!(
            "role,title,family,aliases,level,level_name,kind,name,text\n{},,,,,,,,\n",
            big("a")
        ),
    )
    .unwrap();
    let out = dir.join("canon-out");
    let i = run_bounded(&[
        "canon",
        "import",
        "--out",
        out.to_str().unwrap(),
        csv.to_str().unwrap(),
    ]);
    assert_eq!(
        i.status.code(),
        Some(2),
        "{}",
        &stderr(&i)[..300.min(stderr(&i).len())]
    );
    for err in [stderr(&o), stderr(&i)] {
        assert!(err.contains('…'), "{}", &err[..300.min(err.len())]);
        for line in err.lines() {
            assert!(line.chars().count() < 400, "{}…", &line[..400]);
        }
    }
}

/// A megabyte line holding a hundred placeholders: each finding shows an
/// excerpt around its placeholder, so the report stays small (it was the
/// whole line once per finding: 100 MB), and the columns stay exact.
#[test]
fn findings_on_a_huge_line_show_excerpts() {
    let dir = scratch("huge-line");
    let filler = "x".repeat(10_000);
    let line: String = (0..100).map(|_| format!("{filler}⟨target⟩")).collect();
    std::fs::write(dir.join("big.md"), format!("{line}\n")).unwrap();
    let o = run_bounded(&[
        "lint",
        dir.join("big.md").to_str().unwrap(),
        "--color",
        "never",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.len() < 100 * 1_000, "{} bytes of report", out.len());
    // The 50th placeholder: its column, and the excerpt around it.
    let column = 49 * (10_000 + 8) + 10_000 + 1;
    let head: String = out.chars().take(1500).collect();
    assert!(out.contains(&format!("big.md:1:{column}\n")), "{head}");
    let excerpt = format!("1 │ …{}⟨target⟩{}…\n", "x".repeat(120), "x".repeat(120));
    assert!(out.contains(&excerpt), "{head}");
    let v: serde_json::Value = serde_json::from_slice(
        &run_bounded(&[
            "lint",
            dir.join("big.md").to_str().unwrap(),
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(v["findings"][49]["column"], column, "{}", v["findings"][49]);
    assert_eq!(
        v["findings"][49]["endColumn"],
        column + 8,
        "{}",
        v["findings"][49]
    );
}

/// A document with more findings than a report holds whole (65,536; its report
/// is then made as it is written, not kept: a document of nothing but
/// placeholders made 12 bytes of report per byte) reports every finding,
/// in its place between the files around it, in every format.
#[test]
fn a_document_of_nothing_but_findings_is_reported_whole_and_in_order() {
    let dir = scratch("dense");
    const MANY: usize = 70_000;
    std::fs::write(dir.join("a.md"), "⟨target⟩\n").unwrap();
    std::fs::write(dir.join("b.md"), "⟨date⟩ 😀\n".repeat(MANY)).unwrap();
    std::fs::write(dir.join("c.md"), "⟨baseline⟩\n").unwrap();
    let dir = dir.to_str().unwrap();
    let lint = |format: &str| {
        let o = run_bounded(&["lint", dir, "--format", format, "--color", "never"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        stdout(&o)
    };
    let human = lint("human");
    let heads: Vec<&str> = human
        .lines()
        .filter(|l| l.trim_start().starts_with("┌─ "))
        .collect();
    assert_eq!(heads.len(), MANY + 2);
    assert!(heads[0].ends_with("a.md:1:1"), "{}", heads[0]);
    assert!(
        heads[MANY].ends_with(&format!("b.md:{MANY}:1")),
        "{}",
        heads[MANY]
    );
    assert!(heads[MANY + 1].ends_with("c.md:1:1"), "{}", heads[MANY + 1]);
    assert!(
        human.ends_with(&format!("{} warnings\n", MANY + 2)),
        "{}",
        &human[human.len() - 200..]
    );
    let github: Vec<String> = lint("github").lines().map(str::to_owned).collect();
    assert_eq!(github.len(), MANY + 2);
    assert!(
        github[MANY].contains(&format!(
            "b.md,line={MANY},col=1,endLine={MANY},endColumn=7,"
        )),
        "{}",
        github[MANY]
    );
    assert!(
        github[MANY + 1].contains("c.md,line=1,"),
        "{}",
        github[MANY + 1]
    );
    let json: serde_json::Value = serde_json::from_str(&lint("json")).expect("one json document");
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), MANY + 2);
    assert_eq!(
        findings[MANY]["byteStart"],
        (MANY - 1) * "⟨date⟩ 😀\n".len()
    );
    assert!(findings[MANY + 1]["path"]
        .as_str()
        .unwrap()
        .ends_with("c.md"));
    assert_eq!(json["summary"]["warnings"], MANY + 2, "{}", json["summary"]);
    let sarif: serde_json::Value =
        serde_json::from_str(&lint("sarif")).expect("one sarif document");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), MANY + 2);
    assert_eq!(
        results[MANY]["locations"][0]["physicalLocation"]["region"]["startLine"],
        MANY
    );
}

/// Terminal escapes in a file name or a review never reach the terminal
/// raw, in the human report or in messages on stderr.
#[test]
fn terminal_escapes_are_shown_as_pictures() {
    let dir = scratch("escapes");
    std::fs::write(dir.join("a\u{1b}]0;t\u{7}.md"), "x ⟨target⟩ \u{1b}[2J\n").unwrap();
    std::fs::write(dir.join("b\u{1b}[2J.md"), b"bin\0").unwrap();
    let o = run_bounded(&["lint", dir.to_str().unwrap(), "--color", "never"]);
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(out.contains("a␛]0;t␇.md:1:3"), "{out}");
    assert!(out.contains("x ⟨target⟩ ␛[2J"), "{out}");
    assert!(err.contains("b␛[2J.md: skipped"), "{err}");
}

/// SARIF artifact URIs are RFC 3986 references that resolve back to the
/// files, checked with Python's URL parser (not ours).
#[test]
fn sarif_uris_resolve_back_to_the_files() {
    let dir = scratch("sarif-uris");
    let names = [
        "Q3 review #2.md",
        "dir%41/x.md",
        "http:evil.md",
        "中文 😀?.md",
    ];
    for name in names {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "⟨target⟩\n").unwrap();
    }
    let absolute = dir.join("abs #1.md");
    std::fs::write(&absolute, "⟨date⟩\n").unwrap();
    let o = Command::new(bin())
        .args(["lint", ".", absolute.to_str().unwrap(), "--format", "sarif"])
        .current_dir(&dir)
        .output()
        .expect("run");
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).expect("SARIF JSON");
    let uris: Vec<String> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    // The absolute one once, though `.` finds it too: one file named
    // twice is read once, under its full path (which sorts first).
    assert_eq!(uris.len(), 5, "{uris:?}");
    assert!(uris[0].starts_with("file:///"), "{uris:?}");
    let script = r#"
import json, sys
from urllib.parse import urljoin, urlsplit, unquote
base = sys.argv[1]
for uri in json.loads(sys.argv[2]):
    full = urljoin("file://" + base + "/", uri)
    parts = urlsplit(full)
    assert parts.scheme == "file" and not parts.query and not parts.fragment, (uri, full)
    print(unquote(parts.path))
"#;
    let py = Command::new("python3")
        .args([
            "-c",
            script,
            dir.to_str().unwrap(),
            &serde_json::to_string(&uris).unwrap(),
        ])
        .output()
        .expect("python3");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let mut got: Vec<String> = String::from_utf8(py.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    got.sort();
    let mut want: Vec<String> = names
        .iter()
        .map(|n| dir.join(n).to_str().unwrap().to_string())
        .chain([absolute.to_str().unwrap().to_string()])
        .collect();
    want.sort();
    assert_eq!(got, want);
}
