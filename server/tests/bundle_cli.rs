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
    let list = json(&run(root, &["bundle", "list", "--json"]));
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "monitoring-strategy-research")
        .unwrap();
    assert_eq!(row["stale"], true);
    assert_eq!(row["state"], "stale");
    let before_load = files(root);
    let loaded = json(&run(
        root,
        &["bundle", "load", "monitoring-strategy-research", "--json"],
    ));
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

    // Re-save: fresh again, the old one kept beside it.
    let old_digest = std::fs::read(root.join(DIGEST)).unwrap();
    let resaved = json(&run(
        root,
        &[
            "bundle",
            "save",
            "monitoring-strategy-research",
            "--from",
            RESEARCH,
            PLAN,
            "--overwrite",
            "--json",
        ],
    ));
    assert_eq!(resaved["replaced"], true);
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
