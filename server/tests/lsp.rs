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
