//! `findings mcp` as a real MCP client talks to it: rmcp's client over a
//! child process. initialize, tools/list, a tools/call `triage` of 030 with
//! action upsert that commits exactly what `findings triage` commits (same
//! paths, same message, same bytes), and an unknown ID as a tool error.

#![cfg(feature = "mcp")]

mod common;

use rmcp::model::CallToolRequestParams;
use rmcp::transport::TokioChildProcess;
use rmcp::ServiceExt;
use std::path::Path;
use std::process::Command;

fn git(root: &Path, home: &Path, args: &[&str]) -> String {
    let mut c = Command::new("git");
    c.current_dir(root).args(args);
    common::isolate_git(&mut c, home);
    let out = c.output().unwrap();
    assert!(out.status.success(), "git {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// What the last commit holds: its message, its paths, and the bytes of each.
fn last_commit(root: &Path, home: &Path) -> (String, String, Vec<Vec<u8>>) {
    let message = git(root, home, &["log", "-1", "--format=%B"]);
    let paths = git(root, home, &["show", "--name-status", "--format=", "HEAD"]);
    let bytes = paths
        .lines()
        .filter_map(|l| l.split('\t').next_back())
        .map(|p| std::fs::read(root.join(p)).unwrap_or_default())
        .collect();
    (message, paths, bytes)
}

fn args(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    v.as_object().unwrap().clone()
}

#[tokio::test(flavor = "current_thread")]
async fn an_mcp_client_lists_tools_triages_like_the_cli_and_gets_tool_errors() {
    let d = tempfile::tempdir().unwrap();
    let (cli_root, cli_home) = common::sample_repo(&d.path().join("cli"));
    let (mcp_root, mcp_home) = common::sample_repo(&d.path().join("mcp"));

    // The CLI's triage, for comparison.
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("findings"));
    c.current_dir(&cli_root).args(["triage", "030", "--action", "upsert"]);
    common::isolate_git(&mut c, &cli_home);
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // The server, started as an MCP client starts it.
    let mut server = Command::new(assert_cmd::cargo::cargo_bin("findings"));
    server.current_dir(&mcp_root).arg("mcp");
    common::isolate_git(&mut server, &mcp_home);
    let transport = TokioChildProcess::new(tokio::process::Command::from(server)).unwrap();
    let client = ().serve(transport).await.expect("initialize");
    let info = client.peer_info().expect("the server answered initialize");
    assert_eq!(info.server_info.as_ref().map(|s| s.name.as_str()), Some("findings"));

    let tools = client.list_all_tools().await.unwrap();
    let mut names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    names.sort();
    assert_eq!(
        names,
        ["check", "list", "log", "new", "options", "search", "show", "status", "triage"]
    );
    let triage = tools.iter().find(|t| t.name == "triage").unwrap();
    let schema = serde_json::Value::Object(triage.input_schema.as_ref().clone());
    assert_eq!(schema["required"], serde_json::json!(["id"]), "{schema}");
    assert!(schema["properties"]["action"].is_object(), "{schema}");

    let r = client
        .call_tool(
            CallToolRequestParams::new("triage")
                .with_arguments(args(serde_json::json!({"id": "030", "action": "upsert"}))),
        )
        .await
        .unwrap();
    assert_ne!(r.is_error, Some(true), "{r:?}");
    let text = &r.content[0].as_text().unwrap().text;
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(v["new_status"], "ready", "{v}");
    assert!(v["commit"].is_string(), "{v}");

    // The same commit as the CLI's: message, paths and bytes.
    assert_eq!(last_commit(&mcp_root, &mcp_home), last_commit(&cli_root, &cli_home));
    assert_eq!(git(&mcp_root, &mcp_home, &["status", "--porcelain"]), "");

    // An unknown ID is a tool error naming it, and nothing is committed.
    let head = git(&mcp_root, &mcp_home, &["rev-parse", "HEAD"]);
    let r = client
        .call_tool(
            CallToolRequestParams::new("triage")
                .with_arguments(args(serde_json::json!({"id": "999", "action": "upsert"}))),
        )
        .await
        .unwrap();
    assert_eq!(r.is_error, Some(true), "{r:?}");
    assert!(r.content[0].as_text().unwrap().text.contains("999"), "{r:?}");
    assert_eq!(git(&mcp_root, &mcp_home, &["rev-parse", "HEAD"]), head);

    // A read tool: show carries the cited locations.
    let r = client
        .call_tool(CallToolRequestParams::new("show").with_arguments(args(serde_json::json!({"id": "030"}))))
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&r.content[0].as_text().unwrap().text).unwrap();
    assert_eq!(v["locations"][0]["start_line"], 158, "{v}");

    // Full-text search is `findings search`'s: ranked, with numbered lines.
    let r = client
        .call_tool(CallToolRequestParams::new("search").with_arguments(args(serde_json::json!({"text": "prisma"}))))
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&r.content[0].as_text().unwrap().text).unwrap();
    let items = v["items"].as_array().unwrap();
    assert_eq!(items[0]["id"], "ADR-0105", "{v}");
    assert!(items[0]["lines"][0]["line"].as_u64().unwrap() >= 1, "{v}");
    client.cancel().await.unwrap();
}
