//! In-process LSP tests: the service driven like a client, fast and exhaustive.
//! (The real binary over stdio is exercised by tests/e2e with pytest-lsp.)

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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

impl Harness {
    /// A copy of the example workspace, a server initialized on it with `caps`.
    async fn start(caps: Value) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("my-startup");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/my-startup"),
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
        "---\nstatus: complete\n---\n# Research: Cache layer\n\n## Problem Statement\n## Scope\n## Key Findings\n## Recommended Approach\n## Open Questions\n## References\n## Next Steps\n",
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
    // The draft plan is approved by its action: status and the Approval checklist.
    let actions = h.actions(&pu).await;
    let approve = titled(&actions, "Mark Plan approved");
    apply(&approve["edit"]);
    let text = std::fs::read_to_string(h.path(plan)).unwrap();
    assert!(text.contains("status: Approved"), "{text}");
    assert!(!text.contains("- [ ]"), "{text}");
    h.reopen(plan, 2).await;
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
