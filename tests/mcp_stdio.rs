//! `goalframe mcp` over raw stdio, below any SDK: what a broken or hostile
//! client sends gets an error answer or is passed over, the server goes
//! on serving, and it exits 0 as soon as stdin closes. Every exchange has
//! a deadline, so a hang fails the test instead of blocking it.
//! (tests/mcp/run.sh drives the server with the official Python SDK.)

mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

const INIT: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#;
const INITIALIZED: &str = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;

/// Sends `lines`, closes stdin, and returns the answers (one JSON value
/// per line) and the exit code, within 20 seconds.
fn exchange(lines: &[String]) -> (Vec<Value>, Option<i32>) {
    let mut child = Command::new(support::bin())
        .arg("mcp")
        .current_dir(support::scratch("mcp"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start goalframe mcp");
    let mut stdin = child.stdin.take().expect("stdin");
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let writer = std::thread::spawn(move || {
        // A closed pipe (the server gave up) is for the answers to show.
        let _ = stdin.write_all(input.as_bytes());
    });
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let out = child.wait_with_output().expect("wait");
        let _ = tx.send(out);
    });
    let out = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("goalframe mcp answered and exited within 20 s");
    writer.join().expect("writer");
    let answers = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line a JSON-RPC message"))
        .collect();
    (answers, out.status.code())
}

fn by_id(answers: &[Value], id: i64) -> &Value {
    answers
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no answer to {id}: {answers:?}"))
}

/// A `tools/call` request line.
fn call(id: i64, name: &str, args: Value) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
           "params": {"name": name, "arguments": args}})
    .to_string()
}

#[test]
fn broken_requests_get_errors_and_the_server_goes_on() {
    let lines = vec![
        INIT.to_string(),
        INITIALIZED.to_string(),
        "{not json".to_string(),
        json!({"jsonrpc": "2.0", "id": 2, "method": "no/such/method"}).to_string(),
        call(3, "no_such_tool", json!({})),
        call(4, "list_roles", json!({"limit": "many"})),
        call(
            5,
            "render_frame",
            json!({"role": "nobody", "level": "p2", "frame": "smart"}),
        ),
        call(6, "lint_document", json!({"text": "x".repeat(17 << 20)})),
        call(
            7,
            "render_frame",
            json!({"role": "ae", "level": "p2", "frame": "smart", "format": "text"}),
        ),
        // A misspelt argument is named, not passed over (the document
        // would be read as markdown, its name lost).
        call(
            8,
            "lint_document",
            json!({"text": "@ae/p9", "file": "a.txt"}),
        ),
        json!({"jsonrpc": "2.0", "id": 9, "method": "tools/list"}).to_string(),
        json!({"jsonrpc": "2.0", "id": 10, "method": "prompts/list"}).to_string(),
    ];
    let (answers, code) = exchange(&lines);
    assert_eq!(code, Some(0));
    assert_eq!(
        by_id(&answers, 1)["result"]["serverInfo"]["name"],
        "goalframe"
    );
    // The line that is not JSON: a Parse error with id null (JSON-RPC 2.0).
    let parse: Vec<&Value> = answers.iter().filter(|a| a["id"].is_null()).collect();
    assert_eq!(parse.len(), 1, "{answers:?}");
    assert_eq!(parse[0]["error"]["code"], -32700);
    assert_eq!(by_id(&answers, 2)["error"]["code"], -32601);
    assert!(
        by_id(&answers, 3).get("error").is_some()
            || by_id(&answers, 3)["result"]["isError"] == true
    );
    assert_eq!(by_id(&answers, 4)["result"]["isError"], true);
    let unknown = &by_id(&answers, 5)["result"];
    assert_eq!(unknown["isError"], true);
    assert!(unknown["content"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("unknown role `nobody`"));
    let huge = &by_id(&answers, 6)["result"];
    assert_eq!(huge["isError"], true);
    assert!(huge["content"][0]["text"]
        .as_str()
        .unwrap()
        .contains("at most 16 MiB"));
    let misspelt = &by_id(&answers, 8)["result"];
    assert_eq!(misspelt["isError"], true, "{misspelt}");
    assert!(
        misspelt["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("unknown field `file`, expected `text` or `filename`"),
        "{misspelt}"
    );
    // Every tool's schema says so.
    for tool in by_id(&answers, 9)["result"]["tools"].as_array().unwrap() {
        assert_eq!(
            tool["inputSchema"]["additionalProperties"], false,
            "{}",
            tool["name"]
        );
    }
    // Descriptions are whole sentences: no doc comment's line break
    // inside them.
    let listed = [
        &by_id(&answers, 9)["result"],
        &by_id(&answers, 10)["result"],
    ];
    let text = listed.map(|l| l.to_string()).join("\n");
    assert!(!text.contains("\\n"), "{text}");
    // After all that, it still renders.
    let frame = by_id(&answers, 7)["result"]["content"][0]["text"]
        .as_str()
        .unwrap()
        .to_string();
    let cli = support::run(&["render", "ae", "p2", "--frame", "smart", "--format", "text"]);
    assert_eq!(frame, support::stdout(&cli));
}

/// A lone surrogate a JavaScript client wrote (`\ud83d`, an emoji cut in
/// two) is read as U+FFFD: the request is answered, not refused with an
/// id the client cannot match.
#[test]
fn a_lone_surrogate_from_a_javascript_client_is_read_as_a_replacement_character() {
    let lines = vec![
        INIT.to_string(),
        INITIALIZED.to_string(),
        r#"{"jsonrpc":"2.0","id":30,"method":"tools/call","params":{"name":"lint_document","arguments":{"text":"Goal \ud83d: \u27e8target\u27e9\n"}}}"#.to_string(),
    ];
    let (answers, code) = exchange(&lines);
    assert_eq!(code, Some(0));
    let a = by_id(&answers, 30);
    let findings = &a["result"]["structuredContent"]["findings"];
    assert_eq!(findings.as_array().map(Vec::len), Some(1), "{a}");
    // Columns count characters: `Goal �: ` is 8 of them.
    assert_eq!(findings[0]["column"], 9, "{a}");
    assert_eq!(findings[0]["code"], "unfilled-placeholder", "{a}");
}

/// A text that starts with a byte order mark (a tool that read a file may
/// pass one on) is read as `lint` reads that file: the mark is not text,
/// so the front matter after it is front matter, and the findings are
/// lint's own, byte offsets counting the mark as the file's do.
#[test]
fn a_text_with_a_byte_order_mark_is_read_as_lint_reads_the_file() {
    let text = "\u{feff}---\nowner: bob\n---\n# Goals ⟨target⟩\n";
    let dir = support::scratch("mcp-bom");
    std::fs::write(dir.join("doc.md"), text).unwrap();
    let o = support::run_in(&dir, &["lint", "--format", "json", "doc.md"]);
    let lint: Value = serde_json::from_slice(&o.stdout).unwrap();
    let lines = vec![
        INIT.to_string(),
        INITIALIZED.to_string(),
        call(
            40,
            "lint_document",
            json!({"text": text, "filename": "doc.md"}),
        ),
    ];
    let (answers, _) = exchange(&lines);
    let a = by_id(&answers, 40);
    let findings = &a["result"]["structuredContent"]["findings"];
    let codes: Vec<&str> = lint["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["invalid-metadata", "unfilled-placeholder"],
        "{lint}"
    );
    assert_eq!(findings, &lint["findings"], "{a}");
}

#[test]
fn json_that_is_no_message_is_answered_with_the_id_it_carries() {
    let raw = |v: Value| v.to_string();
    let lines = vec![
        INIT.to_string(),
        INITIALIZED.to_string(),
        raw(json!({"jsonrpc": "2.0", "id": 20, "method": "tools/call", "params": 5})),
        raw(json!({"jsonrpc": "2.0", "id": 21, "method": "tools/list", "params": []})),
        raw(json!({"jsonrpc": "2.0", "id": "s22", "method": "resources/read", "params": "x"})),
        raw(json!({"jsonrpc": "1.0", "id": 23, "method": "ping"})),
        raw(json!({"jsonrpc": "2.0", "id": 24, "method": 5})),
        raw(json!({"jsonrpc": "2.0", "id": {}, "method": "ping"})),
        raw(json!([{"jsonrpc": "2.0", "id": 25, "method": "ping"}])),
        // A notification is never answered, even when it does not fit.
        raw(json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": 5})),
        // Nor is a response, even one whose error does not fit.
        raw(json!({"jsonrpc": "2.0", "id": 28, "error": 5})),
        format!(
            "\u{feff}{}",
            raw(json!({"jsonrpc": "2.0", "id": 26, "method": "ping"}))
        ),
        raw(json!({"jsonrpc": "2.0", "id": 27, "method": "ping"})),
    ];
    let (answers, code) = exchange(&lines);
    assert_eq!(code, Some(0));
    // JSON-RPC 2.0: every answer has an id, null only where none can be read.
    assert!(answers.iter().all(|a| a.get("id").is_some()), "{answers:?}");
    let code_of = |a: &Value| a["error"]["code"].as_i64();
    for id in [20, 21] {
        assert_eq!(code_of(by_id(&answers, id)), Some(-32602), "{answers:?}");
    }
    let s22 = answers.iter().find(|a| a["id"] == "s22").expect("s22");
    assert_eq!(code_of(s22), Some(-32602));
    assert_eq!(
        s22["error"]["data"], "`resources/read`: params are an object",
        "says what is wrong"
    );
    for id in [23, 24] {
        assert_eq!(code_of(by_id(&answers, id)), Some(-32600), "{answers:?}");
    }
    let unknown: Vec<&Value> = answers.iter().filter(|a| a["id"].is_null()).collect();
    assert_eq!(unknown.len(), 2, "{answers:?}");
    assert!(unknown.iter().all(|a| code_of(a) == Some(-32600)));
    for id in [26, 27] {
        assert_eq!(by_id(&answers, id)["result"], json!({}), "{answers:?}");
    }
    // initialize, five misfits with ids, two without, two pings: no more.
    assert_eq!(answers.len(), 10, "{answers:?}");
}

#[test]
fn a_request_before_initialize_is_refused_and_eof_ends_the_server() {
    let early = json!({"jsonrpc": "2.0", "id": 9, "method": "tools/list"}).to_string();
    let (answers, code) = exchange(&[early, INIT.to_string()]);
    assert_eq!(code, Some(0));
    assert!(by_id(&answers, 9).get("error").is_some(), "{answers:?}");
    assert!(by_id(&answers, 1).get("result").is_some());
    // Nothing at all: a clean exit.
    let (answers, code) = exchange(&[]);
    assert_eq!((answers.len(), code), (0, Some(0)));
}

/// A document of thousands of findings is answered with the first 1,000
/// of them and how many were left out, as the editor shows it: a
/// 10 MB document of placeholders was a 474 MB answer that took 2.6 GB to
/// make.
#[test]
fn a_document_of_many_findings_is_answered_with_the_first_thousand() {
    let frames = support::stdout(&support::run(&[
        "render", "ae", "p2", "--frame", "all", "--format", "markdown",
    ]));
    let many = frames.repeat(20);
    // For the export, the SMART frame's goals eighty times over in one
    // block: twenty copies of the frames are nineteen repeats of them,
    // which the export leaves unread.
    let marker = "<!-- goalframe: account-executive-field-sales/P2 smart -->";
    let smart = frames.find(marker).expect("the SMART block");
    let items = smart + frames[smart..].find("\n1. ").expect("its goals") + 1;
    let end = smart + frames[smart..].find("\n<!--").expect("the next block") + 1;
    const TIMES: usize = 80;
    let long = [
        &frames[..items],
        &frames[items..end].repeat(TIMES),
        &frames[end..],
    ]
    .concat();
    let dir = support::scratch("mcp-many");
    std::fs::write(dir.join("many.md"), &many).unwrap();
    let cli: Value = serde_json::from_str(&support::stdout(&support::run(&[
        "lint",
        dir.join("many.md").to_str().unwrap(),
        "--format",
        "json",
    ])))
    .unwrap();
    let all = cli["findings"].as_array().unwrap();
    assert!(all.len() > 1_000, "{} findings", all.len());
    let lines = vec![
        INIT.to_string(),
        INITIALIZED.to_string(),
        call(
            2,
            "lint_document",
            json!({ "text": many, "filename": "many.md" }),
        ),
        call(3, "export_goals", json!({ "text": long })),
        call(4, "export_goals", json!({ "text": frames })),
        call(5, "lint_document", json!({ "text": frames })),
    ];
    let (answers, code) = exchange(&lines);
    assert_eq!(code, Some(0));
    let lint = &by_id(&answers, 2)["result"]["structuredContent"];
    let findings = lint["findings"].as_array().expect("findings");
    // The first ones, in document order, as `lint` gives them.
    assert_eq!(findings.len(), 1_000);
    assert_eq!(lint["omitted"], all.len() - 1_000);
    for (mcp, cli) in findings.iter().zip(all) {
        assert_eq!(mcp["byteStart"], cli["byteStart"]);
        assert_eq!(mcp["code"], cli["code"]);
        assert_eq!(mcp["message"], cli["message"]);
    }
    let export = &by_id(&answers, 3)["result"]["structuredContent"];
    let one = &by_id(&answers, 4)["result"]["structuredContent"];
    let problems = one["problems"].as_array().expect("problems");
    assert_eq!(one["problemsOmitted"], 0);
    let in_smart = problems
        .iter()
        .filter(|p| (items..end).contains(&(p["byteStart"].as_u64().unwrap() as usize)))
        .count();
    assert!(in_smart > 0, "{problems:?}");
    assert_eq!(
        export["problems"].as_array().expect("problems").len(),
        1_000
    );
    let total = problems.len() + (TIMES - 1) * in_smart;
    assert!(total > 1_000, "{total}");
    assert_eq!(export["problemsOmitted"], total - 1_000);
    assert_eq!(export["ready"], false);
    assert_eq!(export["warnings"], json!([]), "it has goals");
    assert_eq!(
        by_id(&answers, 5)["result"]["structuredContent"]["omitted"],
        0
    );
}

#[test]
fn an_export_of_a_text_without_goals_says_where_goals_are_read_from() {
    // A frame's rows alone, as `render --frame smart` prints them: no
    // heading names their role and level, so they are no goals.
    let rows = support::stdout(&support::run(&["render", "ae", "p2", "--frame", "smart"]));
    let filled = rows
        .replace("⟨baseline⟩", "12")
        .replace("⟨target⟩", "20")
        .replace("⟨date⟩", "2027-06-30");
    let lines = vec![
        INIT.to_string(),
        INITIALIZED.to_string(),
        call(2, "export_goals", json!({ "text": filled })),
    ];
    let (answers, code) = exchange(&lines);
    assert_eq!(code, Some(0));
    let export = &by_id(&answers, 2)["result"]["structuredContent"];
    assert_eq!(export["goals"], json!([]));
    assert_eq!(export["ready"], true, "nothing stops the export");
    assert_eq!(
        export["warnings"],
        json!(["no goals in the text; goals are read from goalframe blocks, each under the heading that names its role and level"])
    );
}
