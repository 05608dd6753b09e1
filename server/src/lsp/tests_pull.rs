//! In-process tests of pull diagnostics: `textDocument/diagnostic` and
//! `workspace/diagnostic` with result ids, partial results and progress,
//! over a real folder with ignore files; clients that do not pull keep
//! pushed diagnostics. Positions in utf-8 and utf-16 with emoji and CJK.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::tests::support::lsp_client::{init_params, range_of};
use super::tests::support::lsp_text::{position, Enc};
use super::tests::TestClient;

/// `initialize` parameters of a client that pulls, with one workspace
/// folder.
fn pulling(encodings: Option<&[&str]>, folder: &Path) -> Value {
    let mut p = init_params(encodings, true);
    p["capabilities"]["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    p["capabilities"]["workspace"] = json!({"diagnostics": {"refreshSupport": true}});
    let uri = file_uri(folder);
    p["workspaceFolders"] = json!([{"uri": uri, "name": "reviews"}]);
    p["rootUri"] = json!(uri);
    p
}

fn file_uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// `team/carol.txt`'s text; the file is UTF-16.
const CAROL: &str = "Carol: 中文 😀 ⟨target⟩ by ⟨date⟩\n";

/// A workspace: three reviews (one in UTF-16), one ignored, one not a goal
/// document.
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("goalframe-pull-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("team")).unwrap();
    std::fs::write(
        dir.join("alice.md"),
        "# Alice 😀 年度\n\n中文 ⟨target⟩ by ⟨date⟩\n",
    )
    .unwrap();
    std::fs::write(dir.join("team/bob.txt"), "Bob: 🎉 ⟨baseline⟩\n").unwrap();
    // Saved as UTF-16 with a byte order mark, as some editors on Windows
    // do: read as `goalframe lint` reads it.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(CAROL.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(dir.join("team/carol.txt"), utf16).unwrap();
    std::fs::write(dir.join("drafts.md"), "⟨target⟩\n").unwrap();
    std::fs::write(dir.join(".ignore"), "drafts.md\n").unwrap();
    std::fs::write(dir.join("notes.rs"), "// ⟨target⟩\n").unwrap();
    dir
}

/// The placeholders' ranges in `text`, as the client expects them.
fn placeholder_ranges(text: &str, enc: Enc) -> Vec<((u32, u32), (u32, u32))> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find('⟨') {
        let start = from + at;
        let end = start + text[start..].find('⟩').unwrap() + '⟩'.len_utf8();
        out.push((position(text, start, enc), position(text, end, enc)));
        from = end;
    }
    out
}

/// One `workspace/diagnostic` pass with a partial-result and a progress
/// token: the reports streamed, by file name; the final result's items.
fn workspace_pass(
    c: &mut TestClient,
    previous: &[(String, String)],
) -> (Vec<(String, Value)>, Value, Vec<Value>) {
    let previous: Vec<Value> = previous
        .iter()
        .map(|(u, v)| json!({"uri": u, "value": v}))
        .collect();
    let id = c.send_request(
        "workspace/diagnostic",
        json!({"previousResultIds": previous, "partialResultToken": "partial-1", "workDoneToken": "work-1"}),
    );
    let result = c.response(id);
    // Notifications and responses travel apart: the last notification,
    // the progress's end, may come after the response.
    let end = c.recv_where("the end of the progress", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let mut reports = Vec::new();
    let mut progress = Vec::new();
    for m in c.drain().into_iter().chain([end]) {
        if m["method"] != "$/progress" {
            continue;
        }
        if m["params"]["token"] == "partial-1" {
            for item in m["params"]["value"]["items"].as_array().unwrap() {
                let name = item["uri"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string();
                reports.push((name, item.clone()));
            }
        } else {
            progress.push(m["params"]["value"].clone());
        }
    }
    reports.sort_by(|a, b| a.0.cmp(&b.0));
    (reports, result["result"]["items"].clone(), progress)
}

#[test]
fn workspace_diagnostics_stream_the_unopened_documents_then_report_them_unchanged() {
    for (offered, enc) in [(Some(&["utf-8"][..]), Enc::Utf8), (None, Enc::Utf16)] {
        let dir = workspace(enc.name());
        let mut c = TestClient::start();
        let init = c.initialize(pulling(offered, &dir));
        assert_eq!(
            init["capabilities"]["diagnosticProvider"],
            json!({"identifier": "goalframe", "interFileDependencies": false, "workspaceDiagnostics": true, "workDoneProgress": true})
        );
        let (reports, items, progress) = workspace_pass(&mut c, &[]);
        assert_eq!(items, json!([]), "every report came as a partial result");
        let names: Vec<&str> = reports.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(
            names,
            ["alice.md", "bob.txt", "carol.txt"],
            "ignored and non-goal files are left out"
        );
        for (name, report) in &reports {
            assert_eq!(report["kind"], "full");
            let text = match name.as_str() {
                "alice.md" => std::fs::read_to_string(dir.join(name)).unwrap(),
                "bob.txt" => std::fs::read_to_string(dir.join("team").join(name)).unwrap(),
                _ => CAROL.to_string(),
            };
            let got: Vec<_> = report["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| range_of(&d["range"]))
                .collect();
            assert_eq!(got, placeholder_ranges(&text, enc), "{name} {enc:?}");
            assert!(report["resultId"].is_string());
        }
        let kinds: Vec<&str> = progress
            .iter()
            .map(|p| p["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds.first(), Some(&"begin"));
        assert_eq!(kinds.last(), Some(&"end"));

        // Again with the result ids: nothing re-sent.
        let previous: Vec<(String, String)> = reports
            .iter()
            .map(|(_, r)| {
                (
                    r["uri"].as_str().unwrap().to_string(),
                    r["resultId"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let (again, _, _) = workspace_pass(&mut c, &previous);
        let kinds: Vec<&str> = again
            .iter()
            .map(|r| r.1["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["unchanged", "unchanged", "unchanged"]);

        // A file changes on disk, another is opened: only the changed one
        // is re-sent, the open one is left to textDocument/diagnostic.
        std::fs::write(dir.join("team/bob.txt"), "Bob: 🎉 ⟨baseline⟩ ⟨target⟩\n").unwrap();
        let alice = std::fs::read_to_string(dir.join("alice.md")).unwrap();
        c.open(&file_uri(&dir.join("alice.md")), "markdown", 1, &alice);
        let (third, _, _) = workspace_pass(&mut c, &previous);
        let kinds: Vec<(&str, &str)> = third
            .iter()
            .map(|(name, r)| (name.as_str(), r["kind"].as_str().unwrap()))
            .collect();
        assert_eq!(kinds, [("bob.txt", "full"), ("carol.txt", "unchanged")]);
        assert_eq!(third[0].1["items"].as_array().unwrap().len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn document_diagnostics_are_pulled_with_result_ids_and_not_pushed() {
    let dir = workspace("doc");
    let mut c = TestClient::start();
    c.initialize(pulling(None, &dir));
    let uri = file_uri(&dir.join("open.md"));
    let text = "😀 中文 ⟨target⟩\n";
    c.open(&uri, "markdown", 1, text);
    let pull = |c: &mut TestClient, previous: Option<&str>| {
        c.call(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}, "previousResultId": previous}),
        )
    };
    let r = pull(&mut c, None);
    assert_eq!(r["kind"], "full");
    let got: Vec<_> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| range_of(&d["range"]))
        .collect();
    assert_eq!(got, placeholder_ranges(text, Enc::Utf16));
    let id = r["resultId"].as_str().unwrap().to_string();
    assert_eq!(
        pull(&mut c, Some(&id)),
        json!({"kind": "unchanged", "resultId": id})
    );
    c.change(&uri, 2, (0, 0), (0, 0), "⟨date⟩ ");
    let r = pull(&mut c, Some(&id));
    assert_eq!(r["kind"], "full");
    assert_eq!(r["items"].as_array().unwrap().len(), 2);
    // An unopened file of the workspace is read from disk.
    let r = pull(&mut c, None);
    assert_eq!(r["kind"], "full");
    let r = c.call(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": file_uri(&dir.join("alice.md"))}}),
    );
    assert_eq!(r["items"].as_array().unwrap().len(), 2);
    // Nothing was pushed.
    let pushed: Vec<Value> = c
        .drain()
        .into_iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert_eq!(pushed, Vec::<Value>::new());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn clients_that_do_not_pull_get_pushed_diagnostics_and_no_provider() {
    let mut c = TestClient::start();
    let r = c.call("initialize", init_params(None, true));
    assert!(r["capabilities"].get("diagnosticProvider").is_none(), "{r}");
    c.notify("initialized", json!({}));
    c.open("file:///w/push.md", "markdown", 1, "⟨target⟩\n");
    assert_eq!(c.diagnostics("file:///w/push.md", 1).len(), 1);
}

/// A workspace of two folders, each with its own `goalframe.toml` and
/// canon: the workspace pass checks each document with its own folder's,
/// so a role only the second folder's canon has is known there, and the
/// export reads each document's goals with its own folder's settings.
#[test]
fn the_workspace_pass_checks_each_folder_with_its_own_canon() {
    let dir = std::env::temp_dir().join(format!("goalframe-pull-roots-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let levels = r#"{"levels": [{"code": "L1", "name": "Level One",
      "dimensions": [{"name": "Scope", "text": "Small things"}]}]}"#;
    for (folder, role) in [("hr", "widget-maker"), ("sales", "gadget-maker")] {
        let root = dir.join(folder);
        std::fs::create_dir_all(root.join("canon")).unwrap();
        std::fs::write(root.join("canon/levels.json"), levels).unwrap();
        std::fs::write(
            root.join("canon/roles.json"),
            format!(
                r#"{{"roles": [{{"id": "{role}", "title": "T", "family": "F",
                "levels": {{"L1": {{"responsibilities": ["Makes."]}}}}}}]}}"#
            ),
        )
        .unwrap();
        std::fs::write(
            root.join("goalframe.toml"),
            format!(
                "canon = [\"canon\"]\n[cycle]\nlabel = \"{folder} 2027\"\n\
                 start = \"2027-01-01\"\nend = \"2027-12-31\"\n"
            ),
        )
        .unwrap();
        std::fs::write(
            root.join(format!("{folder}.md")),
            format!("Owner: @{role}/L1\n"),
        )
        .unwrap();
    }
    let mut c = TestClient::start();
    let mut params = pulling(None, &dir.join("hr"));
    params["workspaceFolders"] = json!([
        {"uri": file_uri(&dir.join("hr")), "name": "hr"},
        {"uri": file_uri(&dir.join("sales")), "name": "sales"}
    ]);
    c.initialize_and_settle(params);
    let (reports, _, _) = workspace_pass(&mut c, &[]);
    let names: Vec<&str> = reports.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ["hr.md", "sales.md"]);
    for (name, report) in &reports {
        assert_eq!(report["items"], json!([]), "{name}: {report}");
    }
    // The export takes each document's goals with its own folder's canon:
    // frames rendered from each, for a document in each.
    for (folder, role) in [("hr", "widget-maker"), ("sales", "gadget-maker")] {
        let file = dir.join(folder).join(format!("{folder}.md"));
        let frame = c.call(
            "workspace/executeCommand",
            json!({"command": "goalframe.render", "arguments": [
                {"role": role, "level": "L1", "frame": "smart", "uri": file_uri(&file)}]}),
        );
        std::fs::write(&file, frame.as_str().unwrap()).unwrap();
    }
    let output = dir.join("goals.json");
    let r = c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.export", "arguments": [
            {"format": "json", "output": output.display().to_string(), "allowIncomplete": true}]}),
    );
    assert_eq!(r["written"], true, "{r}");
    let exported: Value = serde_json::from_slice(&std::fs::read(&output).unwrap()).unwrap();
    // Each goal with its folder's cycle (its `goalframe.toml`'s).
    let goals: Vec<(&str, &str)> = exported["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["role"].as_str().unwrap(), g["cycle"].as_str().unwrap()))
        .collect();
    assert_eq!(
        goals,
        [("widget-maker", "hr 2027"), ("gadget-maker", "sales 2027")],
        "{exported}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
