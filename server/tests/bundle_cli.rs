//! `agentops-lsp bundle` end to end on a copy of `examples/my-startup`:
//! save → edit a source → stale → re-save → load, with nothing lost;
//! hostile names; corrupt, truncated and oversized snapshots.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const RESEARCH: &str = "agentops/infrastructure-ops/research/monitoring-strategy-research.md";
const PLAN: &str = "agentops/infrastructure-ops/plans/monitoring-plan.md";
const DIGEST: &str = ".agentops/bundles/monitoring-strategy-research.md";
const SNAPSHOT: &str = ".agentops/bundles/monitoring-strategy-research.tar.zst";

fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/my-startup");
    copy_dir(&src, dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn run(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_agentops-lsp"))
        .current_dir(root)
        .env("AGENTOPS_LSP_CACHE", root.join(".test-cache"))
        .env("SOURCE_DATE_EPOCH", "1762700000")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Every file under `root` (but the test's cache) and its bytes.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.ends_with(".test-cache") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

fn codes(root: &Path) -> Vec<String> {
    let o = run(root, &["check", ".", "--format", "json", "--no-cache"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"].as_str().unwrap_or("").starts_with(".agentops/"))
        .map(|d| {
            format!(
                "{}:{}",
                d["path"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn save_stale_resave_load_round_trip() {
    let ws = example_copy();
    let root = ws.path();
    let saved = json(&run(
        root,
        &[
            "bundle",
            "save",
            "monitoring-strategy-research",
            "--from",
            RESEARCH,
            PLAN,
            "--tags",
            "monitoring,prometheus",
            "--json",
        ],
    ));
    assert_eq!(saved["sources"], 2);
    assert_eq!(saved["path"], DIGEST);
    let (orig, comp) = (
        saved["original_tokens"].as_u64().unwrap(),
        saved["compressed_tokens"].as_u64().unwrap(),
    );
    assert!(orig > 0 && comp > 0);
    let ratio = saved["compression_ratio"].as_f64().unwrap();
    assert!(
        (ratio - orig as f64 / comp as f64).abs() < 0.06,
        "{ratio} vs {orig}/{comp}"
    );
    let digest = std::fs::read_to_string(root.join(DIGEST)).unwrap();
    assert!(digest.starts_with("---\nbundle_id: bundle-monitoring-strategy-research-2025-11-09\ncreated: 2025-11-09T14:53:20Z\n"), "{digest}");
    assert!(digest.contains("tags: [monitoring, prometheus]\n"));
    assert!(digest.contains(&format!("  - path: {RESEARCH}\n    sha256: \"")));
    assert!(root.join(SNAPSHOT).is_file());
    assert_eq!(
        codes(root),
        Vec::<String>::new(),
        "a fresh bundle checks clean"
    );

    // An existing bundle is never replaced without --overwrite.
    let again = run(
        root,
        &[
            "bundle",
            "save",
            "monitoring-strategy-research",
            "--from",
            RESEARCH,
        ],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("exists"), "{}", stderr(&again));

    // Edit a source: the bundle is stale, in check, list and load.
    let original = std::fs::read(root.join(RESEARCH)).unwrap();
    let mut edited = original.clone();
    edited.extend_from_slice(b"\nA late finding: Thanos for long-term storage.\n");
    std::fs::write(root.join(RESEARCH), &edited).unwrap();
    assert_eq!(codes(root), vec![format!("{DIGEST}:bundle-stale")]);
    // Where the user works: a hint on the source, and the bundle in `status`.
    assert_eq!(
        source_hints(root),
        vec![format!(
            "{RESEARCH}: changed since bundle `monitoring-strategy-research` captured it"
        )]
    );
    let status = run(root, &["status", "."]);
    assert!(
        stdout(&status).contains("stale bundles (re-save before resuming from them)\n  monitoring-strategy-research  — changed since the save: agentops/infrastructure-ops/research/monitoring-strategy-research.md\n"),
        "{}",
        stdout(&status)
    );
    let status = json(&run(root, &["status", ".", "--json"]));
    assert_eq!(status["stale_bundles"][0]["changed"][0], RESEARCH);
    // A stale bundle is no finished phase, and the work it was saved from says so.
    let items: Vec<&serde_json::Value> = status["flavors"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["items"].as_array().unwrap())
        .collect();
    let bundle = items
        .iter()
        .find(|i| i["key"] == "monitoring-strategy-research")
        .unwrap();
    assert_eq!(bundle["attention"], "stale");
    assert_eq!(bundle["phases"][0]["status"], "in-progress");
    let research = items
        .iter()
        .find(|i| i["key"] == "monitoring-strategy")
        .unwrap();
    assert_eq!(research["stale_bundles"][0], "monitoring-strategy-research");
    let list = json(&run(root, &["bundle", "list", "--json"]));
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "monitoring-strategy-research")
        .unwrap();
    assert_eq!(row["stale"], true);
    assert_eq!(row["state"], "stale");
    assert_eq!(row["recall"], 1.0);
    assert!(row["compression_ratio"].as_f64().unwrap() > 0.0);
    // A load without --count writes nothing; a stale digest is printed led
    // by what changed, section by section.
    let before_load = files(root);
    let plain = run(root, &["bundle", "load", "monitoring-strategy-research"]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    assert_eq!(
        files(root),
        before_load,
        "a load without --count writes nothing"
    );
    assert!(
        stdout(&plain).starts_with(&format!(
            "> **Stale bundle.** Changed since it was saved (the digest below is as saved; the files are newer):\n> - `{RESEARCH}`: § Next Steps changed\n\n---\nbundle_id:"
        )),
        "{}",
        stdout(&plain)
    );
    let loaded = json(&run(
        root,
        &[
            "bundle",
            "load",
            "monitoring-strategy-research",
            "--count",
            "--json",
        ],
    ));
    assert!(
        loaded["since"]
            .as_str()
            .unwrap()
            .contains("§ Next Steps changed")
    );
    assert_eq!(loaded["verified"], true);
    assert_eq!(
        loaded["changed"],
        serde_json::json!([{ "path": RESEARCH, "how": "changed" }])
    );
    assert_eq!(loaded["accessed_count"], 1);
    // A load writes only the digest's access fields.
    let after_load = files(root);
    for (p, bytes) in &before_load {
        if p != Path::new(DIGEST) {
            assert_eq!(
                after_load.get(p),
                Some(bytes),
                "{} changed by a load",
                p.display()
            );
        }
    }
    let digest = std::fs::read_to_string(root.join(DIGEST)).unwrap();
    assert!(
        digest.contains("accessed_count: 1\nlast_accessed: 2025-11-09T14:53:20Z\n"),
        "{digest}"
    );

    // The snapshot still restores the source as it was saved.
    let out = tempfile::tempdir().unwrap();
    let ex = run(
        root,
        &[
            "bundle",
            "load",
            "monitoring-strategy-research",
            "--extract",
            out.path().to_str().unwrap(),
        ],
    );
    assert!(ex.status.success(), "{}", stderr(&ex));
    assert_eq!(std::fs::read(out.path().join(RESEARCH)).unwrap(), original);
    let twice = run(
        root,
        &[
            "bundle",
            "load",
            "monitoring-strategy-research",
            "--extract",
            out.path().to_str().unwrap(),
        ],
    );
    assert_eq!(twice.status.code(), Some(1), "extract never overwrites");

    // Re-save without --from: the recorded sources, no more, no fewer.
    let old_digest = std::fs::read(root.join(DIGEST)).unwrap();
    let resaved = json(&run(
        root,
        &[
            "bundle",
            "save",
            "monitoring-strategy-research",
            "--overwrite",
            "--json",
        ],
    ));
    assert_eq!(resaved["replaced"], true);
    assert_eq!(resaved["sources"], 2);
    let digest = std::fs::read_to_string(root.join(DIGEST)).unwrap();
    assert!(
        digest.contains(&format!("  - path: {RESEARCH}\n"))
            && digest.contains(&format!("  - path: {PLAN}\n"))
    );
    assert_eq!(
        std::fs::read(root.join(format!("{DIGEST}.prev"))).unwrap(),
        old_digest
    );
    assert!(root.join(format!("{SNAPSHOT}.prev")).is_file());
    assert_eq!(codes(root), Vec::<String>::new());
    let human = run(root, &["bundle", "load", "monitoring-strategy-research"]);
    assert!(human.status.success());
    assert!(stdout(&human).contains("# Bundle: monitoring-strategy-research"));
    assert!(
        stderr(&human).contains("no source changed since the save"),
        "{}",
        stderr(&human)
    );
}

/// The `bundle-source-changed` findings of the workspace, `path: message` up to the `;`.
fn source_hints(root: &Path) -> Vec<String> {
    let o = run(root, &["check", ".", "--format", "json", "--no-cache"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "bundle-source-changed")
        .map(|d| {
            let m = d["message"].as_str().unwrap();
            format!(
                "{}: {}",
                d["path"].as_str().unwrap(),
                m.split(';').next().unwrap()
            )
        })
        .collect()
}

#[test]
fn exactly_the_named_sources() {
    let ws = example_copy();
    let root = ws.path();
    let saved = json(&run(
        root,
        &[
            "bundle",
            "save",
            "monitoring-strategy-research",
            "--from",
            RESEARCH,
            "--json",
        ],
    ));
    assert_eq!(
        saved["sources"], 1,
        "the plan of the work item is not added"
    );
    let resaved = json(&run(
        root,
        &[
            "bundle",
            "save",
            "monitoring-strategy-research",
            "--overwrite",
            "--json",
        ],
    ));
    assert_eq!(
        resaved["sources"], 1,
        "a re-save keeps the recorded sources"
    );
    let none = run(root, &["bundle", "save", "x-research"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("--from"), "{}", stderr(&none));
}

#[test]
fn positional_root_and_partial_names() {
    let ws = example_copy();
    let root = ws.path();
    let elsewhere = tempfile::tempdir().unwrap();
    let at = root.to_str().unwrap();
    let list = run(elsewhere.path(), &["bundle", "list", at]);
    assert!(list.status.success(), "{}", stderr(&list));
    let text = stdout(&list);
    assert!(text.contains("k8s-upgrade-plan"), "{text}");
    // The example's bundles were saved by the tool: measured, verified.
    assert!(text.contains("100%  fresh"), "{text}");
    let loaded = run(
        elsewhere.path(),
        &["bundle", "load", "k8s-upgrade-plan", at],
    );
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    assert!(stdout(&loaded).contains("# Bundle: k8s-upgrade-plan"));
    let partial = run(elsewhere.path(), &["bundle", "load", "k8s", at]);
    assert_eq!(partial.status.code(), Some(1));
    assert!(
        stderr(&partial)
            .contains("no bundle `k8s`; it could mean: k8s-upgrade-plan, k8s-upgrade-research"),
        "{}",
        stderr(&partial)
    );
    let rows = json(&run(elsewhere.path(), &["bundle", "list", at, "--json"]));
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for r in rows {
        assert_eq!(r["recall"], 1.0, "{r}");
        assert_eq!(r["state"], "fresh", "{r}");
    }
    // The demo's bundles restore their sources.
    let out = elsewhere.path().join("restored");
    let ex = run(
        elsewhere.path(),
        &[
            "bundle",
            "load",
            "k8s-upgrade-research",
            at,
            "--extract",
            out.to_str().unwrap(),
        ],
    );
    assert!(ex.status.success(), "{}", stderr(&ex));
    assert_eq!(
        std::fs::read(out.join("agentops/infrastructure-ops/research/k8s-upgrade-research.md"))
            .unwrap(),
        std::fs::read(root.join("agentops/infrastructure-ops/research/k8s-upgrade-research.md"))
            .unwrap()
    );
}

#[test]
fn every_open_task_whole_and_no_cut_sections() {
    const TASKS: &str = "agentops/product-dev/specs/2025-11-07-payment-integration/tasks.md";
    let ws = example_copy();
    let root = ws.path();
    let saved = json(&run(
        root,
        &[
            "bundle",
            "save",
            "payment-integration-implementation",
            "--from",
            TASKS,
            "--json",
        ],
    ));
    assert_eq!(saved["recall"], 1.0);
    let digest = std::fs::read_to_string(
        root.join(".agentops/bundles/payment-integration-implementation.md"),
    )
    .unwrap();
    let source = std::fs::read_to_string(root.join(TASKS)).unwrap();
    let open: Vec<&str> = source
        .lines()
        .filter(|l| l.trim_start().starts_with("- [ ]"))
        .collect();
    assert_eq!(open.len(), 14);
    for t in &open {
        assert!(digest.contains(t), "open task `{t}` missing:\n{digest}");
    }
    for t in source
        .lines()
        .filter(|l| l.trim_start().starts_with("- [x]"))
    {
        assert!(!digest.contains(t), "completed task `{t}` kept");
    }
    assert!(digest.contains("completed tasks: `tasks.md` §"), "{digest}");
    assert!(!digest.contains("more lines in the snapshot"), "{digest}");
    assert!(
        !digest
            .lines()
            .any(|l| l.trim_start().starts_with("/bundle-")),
        "{digest}"
    );
}

#[test]
fn a_folder_stands_for_its_artifacts() {
    let ws = example_copy();
    let saved = json(&run(
        ws.path(),
        &[
            "bundle",
            "save",
            "infra-research",
            "--from",
            "agentops/infrastructure-ops/research",
            "--json",
        ],
    ));
    assert_eq!(saved["sources"], 3);
}

#[test]
fn hostile_names_are_refused_and_write_nothing() {
    let ws = example_copy();
    let root = ws.path();
    let before = files(root);
    for name in [
        "../escape-plan",
        "a/b-plan",
        ".hidden-plan",
        "Upper-plan",
        "no-type",
        "x-plan.md",
        "",
        "x;rm-plan",
        "x\u{7f}-plan",
    ] {
        let o = run(root, &["bundle", "save", name, "--from", RESEARCH]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{name:?} accepted: {}",
            stderr(&o)
        );
        let l = run(root, &["bundle", "load", name]);
        assert_ne!(l.status.code(), Some(0), "{name:?} loaded");
    }
    let outside = run(
        root,
        &["bundle", "save", "x-plan", "--from", "/etc/hostname"],
    );
    assert_ne!(outside.status.code(), Some(0));
    assert_eq!(files(root), before);
    assert!(!root.parent().unwrap().join("escape-plan.md").exists());
}

fn saved_copy() -> tempfile::TempDir {
    let ws = example_copy();
    let o = run(
        ws.path(),
        &[
            "bundle",
            "save",
            "monitoring-strategy-research",
            "--from",
            RESEARCH,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    ws
}

fn assert_invalid(root: &Path, why: &str) {
    let o = run(root, &["bundle", "load", "monitoring-strategy-research"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(why), "{}", stderr(&o));
    assert_eq!(codes(root), vec![format!("{DIGEST}:bundle-invalid")]);
}

#[test]
fn truncated_snapshot() {
    let ws = saved_copy();
    let snap = ws.path().join(SNAPSHOT);
    let bytes = std::fs::read(&snap).unwrap();
    std::fs::write(&snap, &bytes[..bytes.len() / 2]).unwrap();
    assert_invalid(ws.path(), "truncated");
}

#[test]
fn corrupt_snapshot() {
    let ws = saved_copy();
    let snap = ws.path().join(SNAPSHOT);
    let mut bytes = std::fs::read(&snap).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&snap, &bytes).unwrap();
    assert_invalid(ws.path(), "corrupt");
}

#[test]
fn missing_snapshot() {
    let ws = saved_copy();
    std::fs::remove_file(ws.path().join(SNAPSHOT)).unwrap();
    assert_invalid(ws.path(), "missing");
}

#[test]
fn oversized_snapshot() {
    let ws = saved_copy();
    // 300 MB of zeros: a few hundred KB compressed, over the 256 MB cap expanded.
    let mut raw = Vec::new();
    {
        let mut tar = tar::Builder::new(&mut raw);
        let mut h = tar::Header::new_ustar();
        let size = 300u64 << 20;
        h.set_size(size);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        tar.append_data(
            &mut h,
            RESEARCH,
            std::io::Read::take(std::io::repeat(0), size),
        )
        .unwrap();
        tar.finish().unwrap();
    }
    let z = zstd::bulk::compress(&raw, 1).unwrap();
    std::fs::write(ws.path().join(SNAPSHOT), z).unwrap();
    assert_invalid(ws.path(), "more than 256 MB");
}

#[test]
fn a_snapshot_that_disagrees_with_the_record() {
    let ws = saved_copy();
    // A well-formed snapshot of different text.
    let other = tempfile::tempdir().unwrap();
    copy_dir(ws.path(), other.path());
    std::fs::write(other.path().join(RESEARCH), "# Research: something else\n").unwrap();
    std::fs::remove_file(other.path().join(DIGEST)).unwrap();
    std::fs::remove_file(other.path().join(SNAPSHOT)).unwrap();
    let o = run(
        other.path(),
        &[
            "bundle",
            "save",
            "monitoring-strategy-research",
            "--from",
            RESEARCH,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::copy(other.path().join(SNAPSHOT), ws.path().join(SNAPSHOT)).unwrap();
    assert_invalid(ws.path(), "does not match");
}
