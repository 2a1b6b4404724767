//! In-process LSP tests: the service driven like a client, fast and exhaustive.
//! (The real binary over stdio is exercised by tests/e2e with pytest-lsp.)

mod common;
use common::{copy_dir, git};
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tower::{Service, ServiceExt};
use tower_lsp_server::LspService;
use tower_lsp_server::jsonrpc::{Request, Response};

use agentops_lsp::lsp::{Backend, service};

struct Harness {
    service: LspService<Backend>,
    inbox: mpsc::UnboundedReceiver<Request>,
    next_id: i64,
    _dir: tempfile::TempDir,
    root: PathBuf,
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

impl Harness {
    /// A copy of the example workspace, a server initialized on it with `caps`.
    async fn start(caps: Value) -> Harness {
        Harness::start_in("my-startup", caps).await
    }

    /// A copy of `examples/<example>`, a server initialized on it with `caps`.
    async fn start_in(example: &str, caps: Value) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(example);
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../examples")
                .join(example),
            &root,
        );
        let (service, socket) = service();
        let (mut stream, mut sink) = socket.split();
        let (tx, inbox) = mpsc::unbounded_channel();
        // Answer what the server asks (configuration, registration, progress) and keep everything.
        tokio::spawn(async move {
            while let Some(req) = stream.next().await {
                if let Some(id) = req.id().cloned() {
                    let result = if req.method() == "workspace/configuration" {
                        json!([{"debounceMs": 0}])
                    } else if req.method() == "workspace/applyEdit" {
                        json!({"applied": true})
                    } else {
                        Value::Null
                    };
                    let _ = sink.send(Response::from_ok(id, result)).await;
                }
                let _ = tx.send(req);
            }
        });
        let mut h = Harness {
            service,
            inbox,
            next_id: 1,
            _dir: dir,
            root,
        };
        let params = json!({"processId": null, "rootUri": uri(&h.root), "capabilities": caps,
                            "initializationOptions": {"debounceMs": 0}});
        let init = h.request("initialize", params).await;
        assert!(init.is_ok(), "{init:?}");
        h.notify("initialized", json!({})).await;
        h
    }

    async fn request(&mut self, method: &str, params: Value) -> Response {
        let id = self.next_id;
        self.next_id += 1;
        let req = Request::build(method.to_string())
            .id(id)
            .params(params)
            .finish();
        let svc = self.service.ready().await.unwrap();
        tokio::time::timeout(Duration::from_secs(20), svc.call(req))
            .await
            .expect("request timed out")
            .unwrap()
            .unwrap()
    }

    async fn notify(&mut self, method: &str, params: Value) {
        let req = Request::build(method.to_string()).params(params).finish();
        let svc = self.service.ready().await.unwrap();
        let out = svc.call(req).await.unwrap();
        assert!(out.is_none());
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    async fn open(&mut self, rel: &str) -> String {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        let u = uri(&self.path(rel));
        self.notify("textDocument/didOpen", json!({"textDocument": {"uri": u, "languageId": "markdown", "version": 1, "text": text}})).await;
        u
    }

    /// Waits until the server says the root is indexed.
    async fn indexed(&mut self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let msg = tokio::time::timeout_at(deadline, self.inbox.recv())
                .await
                .expect("never indexed")
                .unwrap();
            if msg.method() == "window/logMessage"
                && msg
                    .params()
                    .and_then(|p| p["message"].as_str())
                    .is_some_and(|m| m.starts_with("agentops: indexed"))
            {
                return;
            }
        }
    }

    /// The next diagnostics published for `u` that satisfy `pred`.
    async fn diagnostics_for(&mut self, u: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let msg = tokio::time::timeout_at(deadline, self.inbox.recv())
                .await
                .expect("no matching diagnostics")
                .unwrap();
            if msg.method() == "textDocument/publishDiagnostics" {
                let p = msg.params().cloned().unwrap_or(Value::Null);
                if p["uri"] == u && pred(&p) {
                    return p;
                }
            }
        }
    }
}

/// A fresh service whose client side answers requests with null and keeps every message.
fn pumped_service() -> (LspService<Backend>, mpsc::UnboundedReceiver<Request>) {
    let (service, socket) = service();
    let (mut stream, mut sink) = socket.split();
    let (tx, inbox) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(req) = stream.next().await {
            if let Some(id) = req.id().cloned() {
                let _ = sink.send(Response::from_ok(id, Value::Null)).await;
            }
            let _ = tx.send(req);
        }
    });
    (service, inbox)
}

fn codes(p: &Value) -> Vec<String> {
    p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

const PLAN: &str = "agentops/infrastructure-ops/plans/monitoring-plan.md";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_change_fix_and_break() {
    let mut h = Harness::start(json!({})).await;
    let u = h.open(PLAN).await;
    let p = h
        .diagnostics_for(&u, |p| !p["diagnostics"].as_array().unwrap().is_empty())
        .await;
    assert_eq!(codes(&p), vec!["frontmatter-invalid-value"]);
    assert_eq!(
        p["diagnostics"][0]["range"]["start"],
        json!({"line": 1, "character": 8})
    );
    assert_eq!(p["version"], 1);
    // `Aproved` → `Approved`: insert one character.
    h.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 1, "character": 10}, "end": {"line": 1, "character": 10}}, "text": "p"}]})).await;
    let p = h.diagnostics_for(&u, |p| p["version"] == 2).await;
    assert!(codes(&p).is_empty(), "{p}");
    // Break it again with a two-edit batch.
    h.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": 3},
        "contentChanges": [
            {"range": {"start": {"line": 1, "character": 8}, "end": {"line": 1, "character": 16}}, "text": "Done"},
            {"range": {"start": {"line": 1, "character": 12}, "end": {"line": 1, "character": 12}}, "text": "!"}]})).await;
    let p = h.diagnostics_for(&u, |p| p["version"] == 3).await;
    assert_eq!(codes(&p), vec!["frontmatter-invalid-value"]);
    assert!(
        p["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`Done!`")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_workspace_is_published_after_indexing() {
    let mut h = Harness::start(json!({})).await;
    let dr = uri(&h.path("agentops/infrastructure-ops/plans/dr-plan.md"));
    let p = h.diagnostics_for(&dr, |_| true).await;
    assert_eq!(codes(&p), vec!["frontmatter-invalid"]);
    assert_eq!(p["diagnostics"][0]["range"]["start"]["line"], 4);
    assert!(p["version"].is_null(), "a closed file has no version");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf8_and_utf16_columns_after_emoji_and_cjk() {
    for (enc, expected) in [("utf-16", 10u64), ("utf-8", 16u64)] {
        let mut h = Harness::start(json!({"general": {"positionEncodings": [enc]}})).await;
        let rel = "agentops/infrastructure-ops/research/emoji-research.md";
        let text = "# Research: 😀\n\n前提 😀 see [x](missing.md)\n";
        std::fs::write(h.path(rel), text).unwrap();
        let u = h.open(rel).await;
        let p = h
            .diagnostics_for(&u, |p| codes(p).contains(&"link-broken".to_string()))
            .await;
        let d = p["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "link-broken")
            .unwrap()
            .clone();
        // "前提 😀 see " is 2 CJK + space + emoji + " see " before `[`.
        assert_eq!(
            d["range"]["start"],
            json!({"line": 2, "character": expected}),
            "{enc}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_on_a_fresh_document() {
    let mut h = Harness::start(json!({})).await;
    let u = h.open(PLAN).await;
    let r = h
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": {"line": 1, "character": 2}}),
        )
        .await;
    let v = r.result().unwrap();
    assert!(
        v["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("`Approved`"),
        "{v}"
    );
    let r = h
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": u}}),
        )
        .await;
    let syms = r.result().unwrap().as_array().unwrap().clone();
    assert_eq!(syms[0]["name"], "frontmatter");
    assert!(
        syms[1]["name"]
            .as_str()
            .unwrap()
            .starts_with("Implementation Plan")
    );
    assert!(!syms[1]["children"].as_array().unwrap().is_empty());
    let r = h
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": u}}),
        )
        .await;
    let folds = r.result().unwrap().as_array().unwrap().clone();
    assert_eq!(folds[0]["startLine"], 0);
    assert!(folds.len() > 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_never_kills_the_server() {
    let mut h = Harness::start(json!({})).await;
    // Invalid params.
    let r = h
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///x.md"}, "position": "nope"}),
        )
        .await;
    assert!(r.is_error());
    // Unknown method.
    let r = h.request("agentops/nothing", json!({})).await;
    assert_eq!(
        r.error().unwrap().code,
        tower_lsp_server::jsonrpc::ErrorCode::MethodNotFound
    );
    // Changes for a document never opened.
    h.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere.md", "version": 9},
        "contentChanges": [{"text": "x"}]}),
    )
    .await;
    // Positions far out of range.
    let u = h.open(PLAN).await;
    let r = h
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": {"line": 99999, "character": 99999}}),
        )
        .await;
    assert!(r.is_ok());
    h.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": 7},
        "contentChanges": [{"range": {"start": {"line": 5000, "character": 3}, "end": {"line": 1, "character": 0}}, "text": "z"}]})).await;
    // A burst of 10,000 edits typing at the start of the file, then one edit
    // removing them all: the diagnostics must be those of the final text.
    for v in 0..10_000 {
        h.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": 100 + v},
            "contentChanges": [{"range": {"start": {"line": 0, "character": v}, "end": {"line": 0, "character": v}}, "text": "x"}]})).await;
    }
    h.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": 20_000},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 10_000}}, "text": ""}]})).await;
    let p = h.diagnostics_for(&u, |p| p["version"] == 20_000).await;
    assert_eq!(codes(&p), vec!["frontmatter-invalid-value"]);
    let r = h
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": u}}),
        )
        .await;
    assert!(r.is_ok());
    let r = h.request("shutdown", Value::Null).await;
    assert!(r.is_ok());
    let r = h
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert!(r.is_error(), "requests after shutdown are refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phase_timeline_in_hover_lens_and_status() {
    let mut h = Harness::start(json!({})).await;
    h.indexed().await;
    let u = h
        .open("agentops/infrastructure-ops/plans/k8s-upgrade-plan.md")
        .await;
    let line = "✓ research (complete) · ✓ plan (Approved) · → implement";
    // Hover on the title (line 0 after the frontmatter: find it).
    let text =
        std::fs::read_to_string(h.path("agentops/infrastructure-ops/plans/k8s-upgrade-plan.md"))
            .unwrap();
    let title_line = text.lines().position(|l| l.starts_with("# ")).unwrap() as u64;
    let r = h
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": {"line": title_line, "character": 3}}),
        )
        .await;
    let v = r.result().unwrap()["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(v.contains(line), "{v}");
    assert!(
        v.contains("create agentops/") || v.contains("create reports/k8s-upgrade-report.md"),
        "{v}"
    );
    // Hover on the frontmatter status value.
    let status_line = text.lines().position(|l| l.starts_with("status:")).unwrap() as u64;
    let r = h
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": {"line": status_line, "character": 1}}),
        )
        .await;
    assert!(
        r.result().unwrap()["contents"]["value"]
            .as_str()
            .unwrap()
            .contains(line)
    );
    // The same line as a code lens over the title.
    let r = h
        .request("textDocument/codeLens", json!({"textDocument": {"uri": u}}))
        .await;
    let lenses = r.result().unwrap().as_array().unwrap().clone();
    assert_eq!(lenses[0]["command"]["title"], line);
    assert_eq!(lenses[0]["range"]["start"]["line"], title_line);
    // agentops/status and the agentops.status command return the same report.
    let r = h.request("agentops/status", json!({})).await;
    let report = r.result().unwrap().clone();
    let items = &report["roots"][0]["flavors"];
    let infra = items
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "infrastructure-ops")
        .unwrap();
    let k8s = infra["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "k8s-upgrade")
        .unwrap();
    assert_eq!(k8s["current"], "implement");
    assert_eq!(k8s["timeline"], line);
    let r = h
        .request(
            "workspace/executeCommand",
            json!({"command": "agentops.status", "arguments": []}),
        )
        .await;
    assert_eq!(r.result().unwrap(), &report);
    let r = h
        .request(
            "workspace/executeCommand",
            json!({"command": "agentops.nope", "arguments": []}),
        )
        .await;
    assert!(r.is_error());
}

/// Byte offset of a UTF-16 LSP position in `text`.
fn offset16(text: &str, line: u64, character: u64) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u64 == line {
            let mut units = 0u64;
            for (b, ch) in l.char_indices() {
                if units >= character || ch == '\n' || ch == '\r' {
                    return offset + b;
                }
                units += ch.len_utf16() as u64;
            }
            return offset + l.trim_end_matches(['\n', '\r']).len();
        }
        offset += l.len();
    }
    text.len()
}

/// Applies a WorkspaceEdit to files on disk, as a client would.
fn apply(edit: &Value) {
    let path = |u: &Value| PathBuf::from(u.as_str().unwrap().strip_prefix("file://").unwrap());
    let text_edits = |p: &Path, edits: &[Value]| {
        let mut text = std::fs::read_to_string(p).unwrap_or_default();
        let mut spans: Vec<(usize, usize, String)> = edits
            .iter()
            .map(|e| {
                let r = &e["range"];
                let s = offset16(
                    &text,
                    r["start"]["line"].as_u64().unwrap(),
                    r["start"]["character"].as_u64().unwrap(),
                );
                let t = offset16(
                    &text,
                    r["end"]["line"].as_u64().unwrap(),
                    r["end"]["character"].as_u64().unwrap(),
                );
                (s, t, e["newText"].as_str().unwrap().to_string())
            })
            .collect();
        spans.sort_by_key(|s| std::cmp::Reverse(s.0));
        for (s, t, new) in spans {
            text.replace_range(s..t, &new);
        }
        std::fs::write(p, text).unwrap();
    };
    if let Some(ops) = edit["documentChanges"].as_array() {
        for op in ops {
            match op["kind"].as_str() {
                Some("create") => {
                    let p = path(&op["uri"]);
                    assert!(!p.exists(), "a create must never overwrite {}", p.display());
                    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                    std::fs::write(&p, "").unwrap();
                }
                Some("rename") => {
                    std::fs::rename(path(&op["oldUri"]), path(&op["newUri"])).unwrap()
                }
                _ => text_edits(
                    &path(&op["textDocument"]["uri"]),
                    op["edits"].as_array().unwrap(),
                ),
            }
        }
    }
    if let Some(changes) = edit["changes"].as_object() {
        for (uri, edits) in changes {
            text_edits(&path(&json!(uri)), edits.as_array().unwrap());
        }
    }
}

impl Harness {
    async fn actions(&mut self, u: &str) -> Vec<Value> {
        let r = h_actions(self, u).await;
        r.result().unwrap().as_array().cloned().unwrap_or_default()
    }

    async fn reopen(&mut self, rel: &str, version: i64) -> String {
        let u = uri(&self.path(rel));
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        self.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": version}, "contentChanges": [{"text": text}]})).await;
        u
    }
}

async fn h_actions(h: &mut Harness, u: &str) -> Response {
    h.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": []}}),
    )
    .await
}

fn titled<'a>(actions: &'a [Value], prefix: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with(prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` in {actions:#?}"))
}

const RESOURCE_OPS: &str = r#"{"workspace": {"workspaceEdit": {"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]}}}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_missing_section_where_the_schema_orders_it() {
    let mut h = Harness::start(serde_json::from_str(RESOURCE_OPS).unwrap()).await;
    h.indexed().await;
    let rel = "agentops/product-dev/specs/2025-11-08-notification-system/spec.md";
    let u = h.open(rel).await;
    let actions = h.actions(&u).await;
    let add = titled(&actions, "Add missing section `## Out of Scope`");
    apply(&add["edit"]);
    let text = std::fs::read_to_string(h.path(rel)).unwrap();
    assert!(text.contains("\n## Out of Scope\n"), "{text}");
    // It goes after Existing Code to Leverage, the section before it in the template.
    assert!(
        text.find("## Existing Code to Leverage").unwrap() < text.find("## Out of Scope").unwrap()
    );
    let u = h.reopen(rel, 2).await;
    let p = h.diagnostics_for(&u, |p| p["version"] == 2).await;
    assert!(!codes(&p).contains(&"section-missing".to_string()), "{p}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walk_a_topic_from_research_to_an_approved_plan() {
    let mut h = Harness::start(serde_json::from_str(RESOURCE_OPS).unwrap()).await;
    let research = "agentops/infrastructure-ops/research/cache-layer-research.md";
    std::fs::write(
        h.path(research),
        // Something written: research that is only headings is not done (no Advance).
        "---\nstatus: complete\n---\n# Research: Cache layer\n\n## Problem Statement\n## Scope\n## Key Findings\nReads dominate.\n## Recommended Approach\n## Open Questions\n## References\n## Next Steps\n",
    )
    .unwrap();
    h.indexed().await;
    let u = h.open(research).await;
    // Research is done: the next phase is the plan, created from the template.
    let actions = h.actions(&u).await;
    let advance = titled(&actions, "Advance to Plan: create cache-layer-plan.md");
    apply(&advance["edit"]);
    let plan = "agentops/infrastructure-ops/plans/cache-layer-plan.md";
    let text = std::fs::read_to_string(h.path(plan)).unwrap();
    assert!(
        text.contains("# Implementation Plan: Cache layer"),
        "{text}"
    );
    assert!(
        text.contains("research: ../research/cache-layer-research.md"),
        "{text}"
    );
    // The client tells the server a file was created.
    h.notify(
        "workspace/didCreateFiles",
        json!({"files": [{"uri": uri(&h.path(plan))}]}),
    )
    .await;
    let pu = h.open(plan).await;
    // The fresh plan is its template: nothing approves or completes it, and its
    // phase is not done.
    let actions = h.actions(&pu).await;
    assert!(
        !actions.iter().any(|a| {
            let t = a["title"].as_str().unwrap();
            t.starts_with("Mark ") || t.starts_with("Approve")
        }),
        "{actions:#?}"
    );
    let cache_item = |report: &Value| {
        report["roots"][0]["flavors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "infrastructure-ops")
            .unwrap()["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == "cache-layer")
            .unwrap()
            .clone()
    };
    let r = h.request("agentops/status", json!({})).await;
    let item = cache_item(r.result().unwrap());
    assert_eq!(item["current"], "plan", "{item:#}");
    assert!(
        item["phases"][1]["detail"]
            .as_str()
            .unwrap()
            .starts_with("template unfilled: "),
        "{item:#}"
    );
    // Approving refuses a plan whose boxes are open, and never ticks them.
    let refuse = h
        .request(
            "workspace/executeCommand",
            json!({"command": "agentops.approve", "arguments": [{"uri": pu, "by": "Ada"}]}),
        )
        .await;
    assert_eq!(refuse.result().unwrap()["applied"], false, "{refuse:?}");
    // The human writes the plan and signs off its checklist; then approves.
    let written = text.split("## Overview").next().unwrap().to_string()
        + "## Overview\nCache reads in Redis.\n\n## Approach\nRead-through.\n\n## Files to Modify\n- `api/cache.rs`\n\n## Test Strategy\nLoad test.\n\n## Implementation Order\n1. Deploy.\n\n## Rollback Plan\nTurn it off.\n\n## Risk Assessment\n- Stale reads.\n\n## Approval\n- [x] Approach validated\n- [x] Changes reviewed\n- [x] Risks acceptable\n- [x] Ready to implement\n";
    std::fs::write(h.path(plan), &written).unwrap();
    h.reopen(plan, 2).await;
    let actions = h.actions(&pu).await;
    let approve = titled(&actions, "Approve cache-layer-plan.md");
    assert_eq!(approve["kind"], "refactor");
    assert!(approve.get("diagnostics").is_none_or(Value::is_null));
    assert_eq!(approve["command"]["command"], "agentops.approve");
    let r = h
        .request(
            "workspace/executeCommand",
            json!({"command": "agentops.approve", "arguments": [{"uri": pu, "by": "Ada Lovelace"}]}),
        )
        .await;
    let result = r.result().unwrap().clone();
    assert_eq!(result["applied"], true, "{result:#}");
    assert_eq!(result["approved_by"], "Ada Lovelace");
    let edit = loop {
        let msg = h.inbox.recv().await.unwrap();
        if msg.method() == "workspace/applyEdit" {
            break msg.params().unwrap()["edit"].clone();
        }
    };
    apply(&edit);
    let text = std::fs::read_to_string(h.path(plan)).unwrap();
    assert!(text.contains("status: Approved\n"), "{text}");
    assert!(text.contains("approved_by: Ada Lovelace\n"), "{text}");
    let at = result["approved_at"].as_str().unwrap();
    assert!(text.contains(&format!("approved_at: {at}\n")), "{text}");
    h.reopen(plan, 3).await;
    let r = h.request("agentops/status", json!({})).await;
    let report = r.result().unwrap().clone();
    let infra = report["roots"][0]["flavors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "infrastructure-ops")
        .unwrap()
        .clone();
    let item = infra["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "cache-layer")
        .unwrap()
        .clone();
    assert_eq!(item["current"], "implement", "{item:#}");
    // And an advance never overwrites: the plan exists now, so none is offered from research.
    let actions = h.actions(&u).await;
    assert!(
        !actions
            .iter()
            .any(|a| a["title"].as_str().unwrap().starts_with("Advance to Plan"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_edits_apply_live_and_progress_is_reported() {
    let mut h = Harness::start(json!({"window": {"workDoneProgress": true}})).await;
    // Indexing announced itself with work-done progress: a create request, then begin and end.
    let mut kinds = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !kinds.contains(&"end".to_string()) {
        let msg = tokio::time::timeout_at(deadline, h.inbox.recv())
            .await
            .expect("no progress")
            .unwrap();
        match msg.method() {
            "window/workDoneProgress/create" => kinds.push("create".into()),
            "$/progress" => kinds.push(
                msg.params().unwrap()["value"]["kind"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            ),
            _ => {}
        }
    }
    assert_eq!(kinds, ["create", "begin", "end"]);
    let plan = uri(&h.path(PLAN));
    let u = h.open(PLAN).await;
    assert_eq!(u, plan);
    h.diagnostics_for(&u, |p| codes(p) == ["frontmatter-invalid-value"])
        .await;
    // Silence the rule in agentops.toml: the watched-file event re-indexes the root.
    std::fs::write(
        h.path("agentops.toml"),
        "[rules]\nfrontmatter-invalid-value = \"off\"\n",
    )
    .unwrap();
    h.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&h.path("agentops.toml")), "type": 2}]}),
    )
    .await;
    h.diagnostics_for(&u, |p| codes(p).is_empty()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_folders_each_with_its_own_config() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/my-startup"),
        &a,
    );
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/my-startup"),
        &b,
    );
    std::fs::write(
        b.join("agentops.toml"),
        "[rules]\nfrontmatter-invalid-value = \"hint\"\n",
    )
    .unwrap();
    let (service, inbox) = pumped_service();
    let mut h = Harness {
        service,
        inbox,
        next_id: 1,
        _dir: dir,
        root: a.clone(),
    };
    let folders = json!([{"uri": uri(&a), "name": "a"}, {"uri": uri(&b), "name": "b"}]);
    let r = h
        .request(
            "initialize",
            json!({"processId": null, "capabilities": {}, "workspaceFolders": folders}),
        )
        .await;
    assert!(r.is_ok());
    h.notify("initialized", json!({})).await;
    let (ua, ub) = (uri(&a.join(PLAN)), uri(&b.join(PLAN)));
    let (mut pa, mut pb) = (None, None);
    while pa.is_none() || pb.is_none() {
        let msg = tokio::time::timeout(Duration::from_secs(20), h.inbox.recv())
            .await
            .expect("no diagnostics")
            .unwrap();
        if msg.method() == "textDocument/publishDiagnostics" {
            let p = msg.params().cloned().unwrap();
            if p["uri"] == ua.as_str() {
                pa = Some(p);
            } else if p["uri"] == ub.as_str() {
                pb = Some(p);
            }
        }
    }
    assert_eq!(
        pa.unwrap()["diagnostics"][0]["severity"],
        1,
        "folder a: default error"
    );
    assert_eq!(
        pb.unwrap()["diagnostics"][0]["severity"],
        4,
        "folder b: its agentops.toml says hint"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_folder_finds_the_root_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("proj");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/my-startup"),
        &root,
    );
    let (service, inbox) = pumped_service();
    let mut h = Harness {
        service,
        inbox,
        next_id: 1,
        _dir: dir,
        root,
    };
    let r = h
        .request("initialize", json!({"processId": null, "capabilities": {}}))
        .await;
    assert!(r.is_ok());
    h.notify("initialized", json!({})).await;
    let u = h.open(PLAN).await;
    let p = h.diagnostics_for(&u, |p| !codes(p).is_empty()).await;
    assert_eq!(codes(&p), ["frontmatter-invalid-value"]);
    // The discovered root was indexed too: closed files get their diagnostics.
    let dr = uri(&h.path("agentops/infrastructure-ops/plans/dr-plan.md"));
    h.diagnostics_for(&dr, |p| codes(p) == ["frontmatter-invalid"])
        .await;
}

// ── Links, code paths, routes and renames ───────────────────────────────────

const K8S_PLAN: &str = "agentops/infrastructure-ops/plans/k8s-upgrade-plan.md";
const K8S_RESEARCH: &str = "agentops/infrastructure-ops/research/k8s-upgrade-research.md";
const PAYMENT_SPEC: &str = "agentops/product-dev/specs/2025-11-07-payment-integration/spec.md";
const MONITORING_RESEARCH: &str =
    "agentops/infrastructure-ops/research/monitoring-strategy-research.md";

/// The UTF-16 LSP position `plus` characters into the first `needle` of the file.
fn pos_of(h: &Harness, rel: &str, needle: &str, plus: usize) -> Value {
    let text = std::fs::read_to_string(h.path(rel)).unwrap();
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle} in {rel}"));
    let before = &text[..at];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = text[line_start..at].encode_utf16().count()
        + needle
            .chars()
            .take(plus)
            .map(char::len_utf16)
            .sum::<usize>();
    json!({"line": line, "character": col})
}

impl Harness {
    async fn at(&mut self, method: &str, rel: &str, needle: &str, extra: Value) -> Value {
        let u = uri(&self.path(rel));
        let mut params =
            json!({"textDocument": {"uri": u}, "position": pos_of(self, rel, needle, 2)});
        if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
            p.extend(e.clone());
        }
        let r = self.request(method, params).await;
        r.result().cloned().unwrap_or(Value::Null)
    }

    /// Everything `check` says about the files on disk, as (path, code).
    fn check_disk(&self) -> Vec<(String, String)> {
        let mut ws = agentops_lsp::workspace::Workspace::new(&self.root);
        agentops_lsp::workspace::scan(&mut ws, &agentops_lsp::workspace::CacheMode::Off);
        let mut out: Vec<(String, String)> = agentops_lsp::rules::check_workspace(&ws)
            .into_iter()
            .map(|d| (d.path, d.code.to_string()))
            .collect();
        out.sort();
        out
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_paths_links_definition_hover_and_references() {
    let mut h = Harness::start(json!({})).await;
    h.indexed().await;
    h.open(K8S_PLAN).await;
    let cluster = "infrastructure/kubernetes/cluster.yaml:7";
    // documentLink: `path:line` opens at its line.
    let u = uri(&h.path(K8S_PLAN));
    let r = h
        .request(
            "textDocument/documentLink",
            json!({"textDocument": {"uri": u}}),
        )
        .await;
    let links = r.result().unwrap().as_array().unwrap().clone();
    let target = uri(&h.path("infrastructure/kubernetes/cluster.yaml")) + "#L7";
    assert!(links.iter().any(|l| l["target"] == target), "{links:#?}");
    assert!(
        links
            .iter()
            .any(|l| l["target"] == uri(&h.path(K8S_RESEARCH))),
        "the research: field is a link too: {links:#?}"
    );
    // definition: the file, at the line.
    let d = h
        .at("textDocument/definition", K8S_PLAN, cluster, json!({}))
        .await;
    assert_eq!(
        d["uri"],
        uri(&h.path("infrastructure/kubernetes/cluster.yaml"))
    );
    assert_eq!(d["range"]["start"]["line"], 6);
    // definition on a markdown link with an anchor: the heading in the research.
    let d = h
        .at(
            "textDocument/definition",
            K8S_PLAN,
            "[constraints](",
            json!({}),
        )
        .await;
    assert_eq!(d["uri"], uri(&h.path(K8S_RESEARCH)));
    let research = std::fs::read_to_string(h.path(K8S_RESEARCH)).unwrap();
    let heading_line = research
        .lines()
        .position(|l| l == "### Constraints Identified")
        .unwrap();
    assert_eq!(d["range"]["start"]["line"], heading_line);
    // hover: what the path is.
    let hv = h
        .at("textDocument/hover", K8S_PLAN, cluster, json!({}))
        .await;
    let text = hv["contents"]["value"].as_str().unwrap();
    assert!(text.contains("opens at line 7"), "{text}");
    assert!(text.contains("Declared here as: edit (touches)"), "{text}");
    // references: every artifact claiming the path (only the plan here).
    let refs = h
        .at(
            "textDocument/references",
            K8S_PLAN,
            cluster,
            json!({"context": {"includeDeclaration": true}}),
        )
        .await;
    let refs = refs.as_array().unwrap();
    assert_eq!(refs.len(), 1, "{refs:#?}");
    assert_eq!(refs[0]["uri"], u);
    // A folder claimed by a glob and by task lines: the spec and its tasks.
    h.open(PAYMENT_SPEC).await;
    let refs = h
        .at(
            "textDocument/references",
            PAYMENT_SPEC,
            "src/payments/**",
            json!({"context": {"includeDeclaration": true}}),
        )
        .await;
    let uris: Vec<&str> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uri"].as_str().unwrap())
        .collect();
    assert!(
        uris.iter()
            .any(|u| u.ends_with("payment-integration/tasks.md")),
        "{uris:?}"
    );
    assert!(
        uris.iter()
            .any(|u| u.ends_with("payment-integration/spec.md")),
        "{uris:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn specs_for_path_symbols_and_routes_in_hover() {
    let mut h = Harness::start(json!({})).await;
    h.indexed().await;
    let folder = uri(&h.path("src/payments"));
    let r = h
        .request("agentops/specsForPath", json!({"uri": folder}))
        .await;
    let v = r.result().unwrap().clone();
    assert_eq!(v["path"], "src/payments");
    let arts = v["artifacts"].as_array().unwrap();
    let spec = arts
        .iter()
        .find(|a| a["path"] == PAYMENT_SPEC)
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(spec["uri"], uri(&h.path(PAYMENT_SPEC)));
    assert_eq!(spec["relation"], "produces");
    assert_eq!(spec["flavor"], "product-dev");
    assert_eq!(spec["kind"], "spec");
    assert_eq!(spec["workItem"], "2025-11-07-payment-integration");
    // Its tasks say `complete` over open boxes: the item is still in tasks.
    assert_eq!(spec["phase"], "tasks");
    assert_eq!(
        spec["range"],
        json!({"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 19}})
    );
    // A file nobody declares: an empty list; a path outside every root: null.
    let r = h
        .request(
            "agentops/specsForPath",
            json!({"uri": uri(&h.path("test/app.ts"))}),
        )
        .await;
    assert_eq!(r.result().unwrap()["artifacts"], json!([]));
    let r = h
        .request(
            "agentops/specsForPath",
            json!({"uri": "file:///elsewhere/x.ts"}),
        )
        .await;
    assert_eq!(r.result().unwrap(), &Value::Null);
    // workspace/symbol: the work item, the spec, and the produced path.
    let r = h
        .request("workspace/symbol", json!({"query": "payment"}))
        .await;
    let names: Vec<String> = r
        .result()
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    for want in [
        "2025-11-07-payment-integration",
        "Specification: Payment Integration",
        "src/payments/**",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
    // Routes, from both ends.
    h.open(PAYMENT_SPEC).await;
    let hv = h
        .at(
            "textDocument/hover",
            PAYMENT_SPEC,
            "../../../infrastructure-ops",
            json!({}),
        )
        .await;
    let text = hv["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with(&format!("**Route** to `{MONITORING_RESEARCH}`")),
        "{text}"
    );
    h.open(MONITORING_RESEARCH).await;
    let hv = h
        .at(
            "textDocument/hover",
            MONITORING_RESEARCH,
            "# Research:",
            json!({}),
        )
        .await;
    let text = hv["contents"]["value"].as_str().unwrap();
    assert!(text.contains("Routed from:\n- ← `"), "{text}");
    assert!(text.contains(&format!("\n- ← `{PAYMENT_SPEC}`")), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn will_rename_files_keeps_check_clean() {
    let mut h = Harness::start(json!({})).await;
    h.indexed().await;
    let before = h.check_disk();
    let moves = [
        (
            "agentops/product-dev/specs/2025-11-06-user-authentication",
            "agentops/product-dev/specs/2025-11-06-user-auth",
        ),
        ("src/payments", "src/billing"),
    ];
    let files: Vec<Value> = moves
        .iter()
        .map(|(a, b)| json!({"oldUri": uri(&h.path(a)), "newUri": uri(&h.path(b))}))
        .collect();
    let r = h
        .request("workspace/willRenameFiles", json!({"files": files}))
        .await;
    let edit = r.result().unwrap().clone();
    let changed: Vec<&String> = edit["changes"].as_object().unwrap().keys().collect();
    assert!(
        changed
            .iter()
            .any(|u| u.ends_with("payment-integration/tasks.md")),
        "{changed:?}"
    );
    apply(&edit);
    for (a, b) in moves {
        std::fs::rename(h.path(a), h.path(b)).unwrap();
    }
    let carried = |p: &str| {
        moves
            .iter()
            .find_map(|(a, b)| p.strip_prefix(a).map(|rest| format!("{b}{rest}")))
            .unwrap_or_else(|| p.to_string())
    };
    let mut before: Vec<(String, String)> =
        before.into_iter().map(|(p, c)| (carried(&p), c)).collect();
    // The payment spec's links and paths were rewritten, which its version
    // leaves out: the research that acknowledged it is not sent back to it.
    before.sort();
    assert_eq!(h.check_disk(), before);
    let spec = std::fs::read_to_string(h.path(PAYMENT_SPEC)).unwrap();
    assert!(spec.contains("  - src/billing/**\n"), "{spec}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prepare_and_rename_a_heading_with_its_anchor_links() {
    let mut h = Harness::start(json!({})).await;
    h.indexed().await;
    h.open(K8S_RESEARCH).await;
    let prep = h
        .at(
            "textDocument/prepareRename",
            K8S_RESEARCH,
            "### Constraints Identified",
            json!({}),
        )
        .await;
    assert_eq!(prep["placeholder"], "Constraints Identified");
    // Nothing to rename on plain text.
    let none = h
        .at(
            "textDocument/prepareRename",
            K8S_RESEARCH,
            "**Researcher:**",
            json!({}),
        )
        .await;
    assert_eq!(none, Value::Null);
    let edit = h
        .at(
            "textDocument/rename",
            K8S_RESEARCH,
            "### Constraints Identified",
            json!({"newName": "Constraints"}),
        )
        .await;
    apply(&edit);
    let plan = std::fs::read_to_string(h.path(K8S_PLAN)).unwrap();
    assert!(
        plan.contains("k8s-upgrade-research.md#constraints)"),
        "{plan}"
    );
    let research = std::fs::read_to_string(h.path(K8S_RESEARCH)).unwrap();
    assert!(research.contains("\n### Constraints\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn route_to_ops_creates_the_research_with_a_back_link() {
    let mut h = Harness::start(serde_json::from_str(RESOURCE_OPS).unwrap()).await;
    h.indexed().await;
    let spec = "agentops/product-dev/specs/2025-11-08-notification-system/spec.md";
    let target = "agentops/infrastructure-ops/research/notification-system-research.md";
    let u = h.open(spec).await;
    let actions = h.actions(&u).await;
    let action = titled(&actions, "Route to infrastructure-ops: open research");
    assert_eq!(action["kind"], "refactor");
    let r = h
        .request(
            "workspace/executeCommand",
            json!({"command": "agentops.route", "arguments": [{"uri": u, "flavor": "infrastructure-ops"}]}),
        )
        .await;
    let result = r.result().unwrap().clone();
    assert_eq!(
        result,
        json!({"applied": true, "uri": uri(&h.path(target)), "reason": null})
    );
    // The server asked the client to apply the creation.
    let edit = loop {
        let msg = h.inbox.recv().await.unwrap();
        if msg.method() == "workspace/applyEdit" {
            break msg.params().unwrap()["edit"].clone();
        }
    };
    apply(&edit);
    // Then said, like every file the server creates.
    let said = loop {
        let msg = h.inbox.recv().await.unwrap();
        if msg.method() == "window/showMessage" {
            break msg.params().unwrap()["message"].clone();
        }
    };
    assert_eq!(
        said,
        "agentops: Route to infrastructure-ops — created notification-system-research.md; open and save it to keep it"
    );
    let created = std::fs::read_to_string(h.path(target)).unwrap();
    assert!(created.starts_with("---\n"), "{created}");
    assert!(
        created.contains("> Routed from [Specification: Notification System](../../product-dev/specs/2025-11-08-notification-system/spec.md) (product-dev spec)."),
        "{created}"
    );
    assert!(
        created.contains("> Deliver security, payment and booking notices"),
        "{created}"
    );
    let source = std::fs::read_to_string(h.path(spec)).unwrap();
    assert!(
        source.starts_with("---\nroutes: [../../../infrastructure-ops/research/notification-system-research.md]\n---\n"),
        "{source}"
    );
    // Both files check clean of anything new: the route resolves, the research is whole.
    let found = h.check_disk();
    assert!(!found.iter().any(|(p, _)| p == target), "{found:?}");
    assert!(
        !found.iter().any(|(_, c)| c == "route-missing"),
        "{found:?}"
    );
    // A second route to the same flavor is not offered: the target exists now.
    let r = h
        .request(
            "workspace/executeCommand",
            json!({"command": "agentops.route", "arguments": [{"uri": u, "flavor": "infrastructure-ops"}]}),
        )
        .await;
    assert!(r.is_error(), "{r:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_completion_offers_paths_then_headings() {
    let mut h = Harness::start(json!({})).await;
    h.indexed().await;
    let u = h.open(PLAN).await;
    let text = std::fs::read_to_string(h.path(PLAN)).unwrap();
    let line = text.lines().count();
    let typed = format!("{text}See [the research](../research/mon");
    h.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": typed}]}),
    )
    .await;
    let pos = json!({"line": line, "character": "See [the research](../research/mon".len()});
    let r = h
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": u}, "position": pos}),
        )
        .await;
    let items = r.result().unwrap().as_array().unwrap().clone();
    let item = items
        .iter()
        .find(|i| i["label"] == "monitoring-strategy-research.md")
        .unwrap_or_else(|| panic!("{items:#?}"));
    assert_eq!(
        item["textEdit"]["range"]["start"]["character"],
        "See [the research](../research/".len()
    );
    let typed = format!("{text}See [scope](../research/monitoring-strategy-research.md#sc");
    h.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [{"text": typed}]}),
    )
    .await;
    let pos = json!({"line": line, "character": typed.lines().last().unwrap().len()});
    let r = h
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": u}, "position": pos}),
        )
        .await;
    let labels: Vec<String> = r
        .result()
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect();
    assert!(labels.contains(&"scope".to_string()), "{labels:?}");
    assert!(
        labels.contains(&"recommended-approach".to_string()),
        "{labels:?}"
    );
}

/// Messages from the server until (and with) the first request `method`.
async fn until(h: &mut Harness, method: &str) -> Vec<Request> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    loop {
        let msg = tokio::time::timeout_at(deadline, h.inbox.recv())
            .await
            .unwrap_or_else(|_| panic!("no {method}"))
            .unwrap();
        let done = msg.method() == method;
        seen.push(msg);
        if done {
            return seen;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lenses_are_refreshed_when_a_phase_moves_not_on_prose() {
    let caps = json!({"workspace": {"codeLens": {"refreshSupport": true}}});
    let mut h = Harness::start(caps).await;
    h.indexed().await;
    until(&mut h, "workspace/codeLens/refresh").await;
    let rel = "agentops/product-dev/specs/2025-11-07-payment-integration/tasks.md";
    let u = h.open(rel).await;
    let text = std::fs::read_to_string(h.path(rel)).unwrap();
    let prose = format!("{text}\nA note on [retries](retries.md).\n");
    h.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": prose}]}),
    )
    .await;
    h.diagnostics_for(&u, |p| p["version"] == 2).await;
    let status = prose.replacen("status: complete", "status: in progress", 1);
    assert_ne!(status, prose);
    h.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [{"text": status}]}),
    )
    .await;
    let seen = until(&mut h, "workspace/codeLens/refresh").await;
    // The one refresh is the status edit's: the prose edit asked for none.
    assert!(
        seen.iter()
            .any(|m| m.method() == "textDocument/publishDiagnostics"
                && m.params().is_some_and(|p| p["version"] == 3)),
        "{seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_action_right_after_an_edit_sees_the_new_text() {
    let mut h = Harness::start(serde_json::from_str(RESOURCE_OPS).unwrap()).await;
    h.indexed().await;
    let rel = "agentops/infrastructure-ops/plans/k8s-upgrade-plan.md";
    let u = h.open(rel).await;
    let text = std::fs::read_to_string(h.path(rel)).unwrap();
    // A line of multi-byte text above the link moves it, in bytes and in UTF-16.
    let changed = text.replacen("## Overview\n", "## Overview\n\nÉtape — 段階 😀\n", 1);
    assert_ne!(changed, text);
    h.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": changed}]}),
    )
    .await;
    let (line, col) = changed
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find("../research/k8s-upgrade-reserch.md")
                .map(|c| (i, l[..c].encode_utf16().count()))
        })
        .unwrap();
    let at = json!({"line": line, "character": col});
    let diag = json!({"range": {"start": at, "end": at}, "code": "link-broken", "message": "x"});
    let r = h
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": {"start": at, "end": at},
                   "context": {"diagnostics": [diag]}}),
        )
        .await;
    let actions = r.result().unwrap().as_array().cloned().unwrap();
    let fix = titled(
        &actions,
        "Change link to `../research/k8s-upgrade-research.md`",
    );
    assert_eq!(fix["isPreferred"], true, "{fix}");
    let edit = &fix["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(edit["range"]["start"]["line"], line, "{edit}");
    assert_eq!(edit["range"]["start"]["character"], col, "{edit}");
    assert_eq!(edit["newText"], "../research/k8s-upgrade-research.md");
    // Unlinking is offered too, never preferred.
    assert_eq!(titled(&actions, "Unlink")["isPreferred"], false);
}

// ── The walkthrough: a product change reaches ops ──────────────────────────

const AUTH_SPEC: &str = "agentops/product-dev/specs/2025-11-06-user-authentication/spec.md";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_spec_edit_warns_monitoring_research_until_acknowledged() {
    let mut h = Harness::start(serde_json::from_str(RESOURCE_OPS).unwrap()).await;
    // The acknowledged version is committed: the hover diffs against it.
    let in_git = git(&h.root, &["init", "-q"])
        && git(&h.root, &["add", "-A"])
        && git(&h.root, &["commit", "-qm", "example"]);
    h.indexed().await;
    let research = h.open(MONITORING_RESEARCH).await;
    let spec = h.open(AUTH_SPEC).await;
    // Product shortens the session expiry.
    let text = std::fs::read_to_string(h.path(AUTH_SPEC)).unwrap();
    assert!(text.contains("- Expiry 30 days"));
    std::fs::write(
        h.path(AUTH_SPEC),
        text.replace("- Expiry 30 days", "- Expiry 14 days"),
    )
    .unwrap();
    h.reopen(AUTH_SPEC, 2).await;
    // Ops is warned, on its acknowledgement of the spec, naming the section.
    let p = h
        .diagnostics_for(&research, |p| codes(p).contains(&"route-stale".into()))
        .await;
    let d = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "route-stale")
        .unwrap()
        .clone();
    assert_eq!(d["severity"], 2);
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("edited `Specific Requirements`"),
        "{d}"
    );
    assert_eq!(d["range"]["start"], json!({"line": 10, "character": 4}));
    // The hover on that entry shows the change itself.
    let shown = ack_hover(&mut h).await;
    assert!(shown.contains("edited `Specific Requirements`"), "{shown}");
    if in_git {
        assert!(
            shown.contains("-- Expiry 30 days") && shown.contains("+- Expiry 14 days"),
            "{shown}"
        );
        assert!(shown.contains("Since commit "), "{shown}");
        // An unsaved edit of the open spec is in the diff: the hover reads
        // the source as the editor shows it, not the file.
        let unsaved = std::fs::read_to_string(h.path(AUTH_SPEC))
            .unwrap()
            .replace("- Expiry 14 days", "- Expiry 7 days ⏳");
        h.notify("textDocument/didChange", json!({"textDocument": {"uri": spec, "version": 3}, "contentChanges": [{"text": unsaved}]})).await;
        // The spec's own diagnostics do not change (an unchanged set is not
        // published again), so the hover is asked until it has the change.
        let mut shown = String::new();
        for _ in 0..100 {
            shown = ack_hover(&mut h).await;
            if shown.contains("+- Expiry 7 days ⏳") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(shown.contains("+- Expiry 7 days ⏳"), "{shown}");
        h.reopen(AUTH_SPEC, 4).await;
    }
    // So does the command.
    let r = h
        .request(
            "workspace/executeCommand",
            json!({"command": "agentops.routeDiff", "arguments": [{"uri": research, "source": spec}]}),
        )
        .await;
    let routes = r.result().unwrap()["routes"].clone();
    assert_eq!(routes[0]["state"], "changed", "{routes}");
    assert_eq!(routes[0]["changed"], "edited `Specific Requirements`");
    // Status lists it under infrastructure-ops.
    let r = h.request("agentops/status", json!({})).await;
    let flavors = r.result().unwrap()["roots"][0]["flavors"].clone();
    let ops = flavors
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "infrastructure-ops")
        .unwrap();
    assert_eq!(
        ops["routesAwaiting"],
        json!([{"source": AUTH_SPEC, "target": MONITORING_RESEARCH, "state": "changed", "changed": "edited `Specific Requirements`"}])
    );
    // Acknowledge clears it, on both sides: offered where the finding is (its entry).
    let r = h
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": research},
            "range": {"start": {"line": 10, "character": 6}, "end": {"line": 10, "character": 6}},
            "context": {"diagnostics": []}}),
        )
        .await;
    let actions = r.result().unwrap().as_array().cloned().unwrap_or_default();
    let ack = titled(
        &actions,
        "Acknowledge the product-dev spec `2025-11-06-user-authentication`",
    );
    assert_eq!(ack["kind"], "quickfix");
    apply(&ack["edit"]);
    h.reopen(MONITORING_RESEARCH, 2).await;
    let p = h.diagnostics_for(&research, |p| p["version"] == 2).await;
    assert!(!codes(&p).contains(&"route-stale".into()), "{p}");
    let found = h.check_disk();
    assert!(
        !found
            .iter()
            .any(|(_, c)| c == "route-stale" || c == "route-unacknowledged"),
        "{found:?}"
    );
    // The payment spec's acknowledgement is untouched.
    let after = std::fs::read_to_string(h.path(MONITORING_RESEARCH)).unwrap();
    assert!(after.contains("hash: \"883e2c84fe7877f4\""), "{after}");
}

/// The hover on the monitoring research's acknowledgement of the auth spec.
async fn ack_hover(h: &mut Harness) -> String {
    let hv = h
        .at(
            "textDocument/hover",
            MONITORING_RESEARCH,
            "path: ../../product-dev/specs/2025-11-06",
            json!({}),
        )
        .await;
    hv["contents"]["value"].as_str().unwrap().to_string()
}

/// Traceability in the editor: hover on a Kiro requirement lists the tasks
/// citing it and their code; definition on a citation opens the criterion.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requirement_hover_and_citation_definition() {
    let mut h = Harness::start_in("kiro-app", json!({})).await;
    h.indexed().await;
    let req = ".kiro/specs/password-reset/requirements.md";
    let tasks = ".kiro/specs/password-reset/tasks.md";
    h.open(req).await;
    let hv = h
        .at("textDocument/hover", req, "3. IF more than five", json!({}))
        .await;
    let text = hv["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("Requirement `1.3`"), "{hv:#}");
    assert!(text.contains("Rate-limit reset requests"), "{text}");
    assert!(text.contains("`src/auth/reset-limiter.ts`"), "{text}");
    h.open(tasks).await;
    let def = h
        .at("textDocument/definition", tasks, "1.3_", json!({}))
        .await;
    assert_eq!(def["uri"], uri(&h.path(req)), "{def:#}");
    assert_eq!(def["range"]["start"], json!({"line": 17, "character": 0}));
}
