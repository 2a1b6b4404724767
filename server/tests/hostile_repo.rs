//! A hostile repository against the built CLI (`docs/reliability.md`, "The
//! repository"): special files where files are expected, paths and symlinks
//! out of the root, concurrent bundle saves, snapshots with entries the
//! digest does not record, and input that used to be accepted quietly.
//! Every run has a deadline and a memory ceiling, so a hang or an unbounded
//! read fails the test instead of blocking or exhausting the machine.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RESEARCH: &str = "agentops/infrastructure-ops/research/cache-research.md";
const PLAN: &str = "agentops/infrastructure-ops/plans/cache-plan.md";
const BUNDLES: &str = ".agentops/bundles";
const NAME: &str = "cache-research";

/// Every required research section: a research file with these is clean.
const SECTIONS: &str = "## Problem Statement\n## Scope\n## Key Findings\n\
    ## Recommended Approach\n## Open Questions\n## References\n## Next Steps\n";

/// The binary under test; `AGENTOPS_LSP_BIN` runs these tests against
/// another build (how each was seen to fail before its fix).
fn bin() -> String {
    std::env::var("AGENTOPS_LSP_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_agentops-lsp").into())
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// The binary on `root` with `args`: at most 60 s (a debug build, tests in parallel) and 2 GB of address space.
fn run(root: &Path, args: &[&str]) -> Run {
    let out = tempfile::tempdir().unwrap();
    let (o, e) = (out.path().join("o"), out.path().join("e"));
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2000000; exec \"$0\" \"$@\"")
        .arg(bin())
        .args(args)
        .current_dir(root)
        .env("AGENTOPS_LSP_CACHE", out.path().join("cache"))
        .env("SOURCE_DATE_EPOCH", "1762700000")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&o).unwrap())
        .stderr(std::fs::File::create(&e).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("`{}` did not finish within 60 s", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
    Run {
        code: status.code(),
        stdout: read(&o),
        stderr: read(&e),
    }
}

fn check(root: &Path) -> Run {
    let r = run(root, &["check", ".", "--no-cache"]);
    assert!(
        matches!(r.code, Some(0 | 1)),
        "check exited {:?}: {}",
        r.code,
        r.stderr
    );
    r
}

/// A workspace with one clean research artifact (plus `files`), in `<tmp>/root`
/// so that `<tmp>` is "outside".
fn workspace(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    write(&root, RESEARCH, &format!("# Research: Cache\n\n{SECTIONS}"));
    for (p, text) in files {
        write(&root, p, text);
    }
    (dir, root)
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn symlink(target: &Path, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let ok = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(ok.success());
}

/// A research artifact whose Key Findings hold `body`.
fn research_with(body: &str) -> String {
    format!(
        "# Research: Cache\n\n## Problem Statement\n## Scope\n## Key Findings\n{body}\n\
         ## Recommended Approach\n## Open Questions\n## References\n## Next Steps\n"
    )
}

/// Findings on `rel` in the human output.
fn on<'a>(out: &'a str, rel: &str) -> Vec<&'a str> {
    out.lines()
        .filter(|l| l.starts_with(&format!("{rel}:")))
        .collect()
}

// ---- 2. special files are never read whole, and never waited on ----

#[test]
fn links_and_code_paths_to_dev_zero_and_fifos() {
    let plan = "---\nstatus: Approved\n---\n# Implementation Plan: Cache\n\n## Overview\n\
        ## Approach\n## Files to Modify\n\n### Files to Edit\n\
        - `src/zero.ts:40` — a device\n- `src/fifo.ts:40` — a FIFO\n\n\
        ## Test Strategy\n## Implementation Order\n## Rollback Plan\n## Risk Assessment\n## Approval\n";
    let (_t, root) = workspace(&[
        (
            RESEARCH,
            &research_with("[z](../../../docs/zero.md#a) [f](../../../docs/fifo.md#a)"),
        ),
        (PLAN, plan),
    ]);
    symlink(Path::new("/dev/zero"), &root.join("docs/zero.md"));
    mkfifo(&root.join("docs/fifo.md"));
    symlink(Path::new("/dev/zero"), &root.join("src/zero.ts"));
    mkfifo(&root.join("src/fifo.ts"));
    let out = check(&root).stdout;
    let research = on(&out, RESEARCH);
    // /dev/zero is outside the root; the FIFO is inside, exists, and has no heading.
    assert!(
        research
            .iter()
            .any(|l| l.contains("`../../../docs/zero.md` leads outside the workspace root")),
        "{out}"
    );
    assert!(
        research
            .iter()
            .any(|l| l.contains("no heading `#a` in `../../../docs/fifo.md`")),
        "{out}"
    );
    assert!(
        on(&out, PLAN)
            .iter()
            .any(|l| l.contains("`src/zero.ts:40` leads outside")
                || l.contains("`src/zero.ts` leads outside")),
        "{out}"
    );
}

#[test]
fn config_flavor_file_and_snapshot_as_special_files() {
    for special in ["zero", "fifo"] {
        let (_t, root) = workspace(&[]);
        let make = |p: &Path| match special {
            "zero" => symlink(Path::new("/dev/zero"), p),
            _ => mkfifo(p),
        };
        // agentops.toml itself.
        make(&root.join("agentops.toml"));
        let out = check(&root).stdout;
        assert!(
            out.contains("agentops.toml:1:1: error[config-invalid]: cannot read agentops.toml: "),
            "{special}: {out}"
        );
        // A flavor file it loads.
        std::fs::remove_file(root.join("agentops.toml")).unwrap();
        write(
            &root,
            "agentops.toml",
            "[flavors]\nload = [\"tools/f.toml\"]\n",
        );
        make(&root.join("tools/f.toml"));
        let out = check(&root).stdout;
        assert!(
            out.contains("error[config-invalid]: cannot read flavor file `tools/f.toml`: it "),
            "{special}: {out}"
        );
        // A bundle snapshot.
        let s = run(&root, &["bundle", "save", NAME, "--from", RESEARCH]);
        assert_eq!(s.code, Some(0), "{}", s.stderr);
        let snap = root.join(BUNDLES).join(format!("{NAME}.tar.zst"));
        std::fs::remove_file(&snap).unwrap();
        make(&snap);
        let out = check(&root).stdout;
        assert!(
            on(&out, &format!("{BUNDLES}/{NAME}.md"))
                .iter()
                .any(|l| l.contains("bundle-invalid")),
            "{special}: {out}"
        );
        let l = run(&root, &["bundle", "load", NAME]);
        assert_eq!(l.code, Some(1), "{special}: {}", l.stderr);
    }
}

// ---- 4. nothing outside the root is read, probed or written ----

#[test]
fn artifacts_folder_and_flavor_files_outside_the_root() {
    let (t, root) = workspace(&[(
        "agentops.toml",
        "[workspace]\nartifacts = \"../elsewhere\"\n[flavors]\nload = [\"/etc/passwd\", \"../secret.toml\"]\n",
    )]);
    write(
        t.path(),
        "elsewhere/infrastructure-ops/research/stolen-research.md",
        "# not ours\n",
    );
    write(
        t.path(),
        "secret.toml",
        "[flavor]\nname = \"SECRET-NAME\"\n",
    );
    let out = check(&root).stdout;
    assert!(!out.contains("stolen"), "{out}");
    assert!(
        !out.contains("SECRET-NAME") && !out.contains("root:x:0"),
        "{out}"
    );
    assert!(
        out.contains("[workspace] artifacts must be a folder inside the root"),
        "{out}"
    );
    assert!(
        out.contains("cannot read flavor file `/etc/passwd`: it is outside the workspace root"),
        "{out}"
    );
    assert!(
        out.contains("cannot read flavor file `../secret.toml`: it is outside the workspace root"),
        "{out}"
    );
    // The default folder is used instead: the research file is still checked.
    assert!(!out.contains("artifact-unknown"), "{out}");
}

#[test]
fn links_out_of_the_root_leak_nothing() {
    let (t, root) = workspace(&[(
        RESEARCH,
        &research_with(
            "[a](../../../../outside.md#nope) [b](../../../../no-such.md#nope) \
             [c](../../../docs/inside-link.md#nope)",
        ),
    )]);
    write(t.path(), "outside.md", "# Secret Heading\n");
    symlink(
        &t.path().join("outside.md"),
        &root.join("docs/inside-link.md"),
    );
    let out = check(&root).stdout;
    assert!(!out.contains("secret-heading"), "headings leaked: {out}");
    // An outside file that exists and one that does not read the same.
    for dest in [
        "../../../../outside.md",
        "../../../../no-such.md",
        "../../../docs/inside-link.md",
    ] {
        assert!(
            out.contains(&format!(
                "error[link-broken]: `{dest}` leads outside the workspace root"
            )) || out.contains(&format!("[link-broken]: `{dest}` leads outside")),
            "{dest}: {out}"
        );
    }
}

#[test]
fn a_symlinked_bundle_folder_or_snapshot_is_not_followed() {
    let (t, root) = workspace(&[]);
    let elsewhere = t.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    symlink(&elsewhere, &root.join(BUNDLES));
    let s = run(&root, &["bundle", "save", NAME, "--from", RESEARCH]);
    assert_eq!(s.code, Some(1), "{}", s.stdout);
    assert!(
        s.stderr.contains("leads outside the workspace root"),
        "{}",
        s.stderr
    );
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);

    // A snapshot that is a symlink to a (valid) snapshot outside is not read.
    std::fs::remove_file(root.join(BUNDLES)).unwrap();
    let s = run(&root, &["bundle", "save", NAME, "--from", RESEARCH]);
    assert_eq!(s.code, Some(0), "{}", s.stderr);
    let snap = root.join(BUNDLES).join(format!("{NAME}.tar.zst"));
    std::fs::rename(&snap, elsewhere.join("s.tar.zst")).unwrap();
    symlink(&elsewhere.join("s.tar.zst"), &snap);
    let l = run(&root, &["bundle", "load", NAME]);
    assert_eq!(l.code, Some(1));
    assert!(
        l.stderr.contains("outside the workspace root"),
        "{}",
        l.stderr
    );
    let out = check(&root).stdout;
    assert!(out.contains("bundle-invalid"), "{out}");
}

// ---- 5. concurrent saves: one wins whole, the others change nothing ----

#[test]
fn concurrent_saves_of_one_name() {
    for round in 0..3 {
        let (_t, root) = workspace(&[(PLAN, "# Implementation Plan: Cache\n")]);
        let bin = bin();
        // Different sources: each save's snapshot differs, so a loser that
        // replaced the winner's snapshot would leave the winner invalid.
        let children: Vec<_> = (0..4)
            .map(|i| {
                let mut args = vec!["bundle", "save", NAME, "--from", RESEARCH];
                if i % 2 == 1 {
                    args.push(PLAN);
                }
                Command::new(&bin)
                    .args(args)
                    .current_dir(&root)
                    .env("AGENTOPS_LSP_CACHE", root.join("../cache"))
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let won = outs.iter().filter(|o| o.status.success()).count();
        assert_eq!(won, 1, "round {round}: exactly one save wins");
        for o in outs.iter().filter(|o| !o.status.success()) {
            let e = String::from_utf8_lossy(&o.stderr);
            assert!(e.contains("exists"), "round {round}: {e}");
        }
        let l = run(&root, &["bundle", "load", NAME, "--no-count"]);
        assert_eq!(l.code, Some(0), "round {round}: {}", l.stderr);
        assert!(l.stderr.contains("verified"), "{}", l.stderr);
        let names: Vec<String> = std::fs::read_dir(root.join(BUNDLES))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "no .prev, no temp file left: {names:?}");
    }
}

// ---- 8. snapshot entries the digest does not record ----

/// A zstd tar of `entries` (path, bytes), written raw so duplicates survive.
fn snapshot(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut raw = Vec::new();
    {
        let mut tar = tar::Builder::new(&mut raw);
        for (path, bytes) in entries {
            let mut h = tar::Header::new_ustar();
            h.set_size(bytes.len() as u64);
            h.set_mode(0o644);
            h.set_entry_type(tar::EntryType::Regular);
            tar.append_data(&mut h, path, *bytes).unwrap();
        }
        tar.finish().unwrap();
    }
    zstd::bulk::compress(&raw, 3).unwrap()
}

#[test]
fn extra_or_duplicate_entries_make_the_bundle_invalid_and_extract_nothing() {
    let (t, root) = workspace(&[]);
    let s = run(&root, &["bundle", "save", NAME, "--from", RESEARCH]);
    assert_eq!(s.code, Some(0), "{}", s.stderr);
    let research = std::fs::read(root.join(RESEARCH)).unwrap();
    let snap = root.join(BUNDLES).join(format!("{NAME}.tar.zst"));
    let hook: &[u8] = b"#!/bin/sh\necho pwned\n";
    let cases: [(&str, Vec<u8>); 2] = [
        (
            "does not record",
            snapshot(&[(RESEARCH, &research), (".git/hooks/post-checkout", hook)]),
        ),
        (
            "twice",
            snapshot(&[(RESEARCH, &research), (RESEARCH, &research)]),
        ),
    ];
    for (why, bytes) in cases {
        std::fs::write(&snap, bytes).unwrap();
        let out = check(&root).stdout;
        let digest = on(&out, &format!("{BUNDLES}/{NAME}.md"));
        assert!(
            digest
                .iter()
                .any(|l| l.contains("bundle-invalid") && l.contains(why)),
            "{why}: {out}"
        );
        let dest = t.path().join(format!("dest-{}", why.replace(' ', "-")));
        let x = run(
            &root,
            &["bundle", "load", NAME, "--extract", dest.to_str().unwrap()],
        );
        assert_eq!(x.code, Some(1), "{why}: {}", x.stdout);
        assert!(x.stderr.contains(why), "{why}: {}", x.stderr);
        assert!(!dest.exists(), "{why}: extract wrote something");
    }
}

#[test]
fn extract_is_all_or_nothing() {
    let (t, root) = workspace(&[(PLAN, "# Implementation Plan: Cache\n")]);
    let s = run(&root, &["bundle", "save", NAME, "--from", RESEARCH, PLAN]);
    assert_eq!(s.code, Some(0), "{}", s.stderr);
    // The second file to write is already there: the first is not written either.
    let dest = t.path().join("dest");
    write(&dest, PLAN, "mine");
    let x = run(
        &root,
        &["bundle", "load", NAME, "--extract", dest.to_str().unwrap()],
    );
    assert_eq!(x.code, Some(1));
    assert!(!dest.join(RESEARCH).exists(), "{}", x.stderr);
    assert_eq!(std::fs::read_to_string(dest.join(PLAN)).unwrap(), "mine");
}

// ---- 10. nothing accepted quietly ----

#[test]
fn a_non_utf8_config_and_bad_ignore_globs_are_reported() {
    let (_t, root) = workspace(&[]);
    std::fs::write(
        root.join("agentops.toml"),
        b"[rules]\nlink-broken = \"off\xff\"\n",
    )
    .unwrap();
    let out = check(&root).stdout;
    assert!(
        out.contains("agentops.toml:1:1: error[config-invalid]: cannot read agentops.toml: it is not valid UTF-8"),
        "{out}"
    );
    write(
        &root,
        "agentops.toml",
        "[workspace]\nignore = [\"a/{b\", \"c[\"]\n",
    );
    let out = check(&root).stdout;
    assert!(out.contains("`a/{b` is not a valid glob"), "{out}");
    assert!(out.contains("`c[` is not a valid glob"), "{out}");
}

#[test]
fn cycles_in_a_flavor_are_reported() {
    let flavor = "[flavor]\nname = \"loop\"\n\n\
        [[phases]]\nid = \"a\"\nrequires = [\"b\"]\n\n[[phases]]\nid = \"b\"\nrequires = [\"a\"]\n\n\
        [[kinds]]\nid = \"note\"\nphase = \"a\"\npaths = [\"notes/{slug}.md\"]\n\
        [[kinds.sections]]\nid = \"x\"\nheading = \"X\"\nparent = \"y\"\n\
        [[kinds.sections]]\nid = \"y\"\nheading = \"Y\"\nparent = \"x\"\n";
    let (_t, root) = workspace(&[("agentops/loop/flavor.toml", flavor)]);
    let out = check(&root).stdout;
    assert!(
        out.contains("phases require each other in a cycle: `a` → `b` → `a`"),
        "{out}"
    );
    assert!(
        out.contains("sections of kind `note` are each other's parents in a cycle"),
        "{out}"
    );
}

#[test]
fn file_names_cannot_forge_output_lines() {
    let (_t, root) = workspace(&[]);
    let dir = root.join("agentops/infrastructure-ops/research");
    let forged = "x.md:1:1: error[forged]: fake\ny-research.md";
    std::fs::write(dir.join(forged), "no title\n").unwrap();
    let out = check(&root).stdout;
    assert!(
        !out.lines().any(|l| l.starts_with("x.md:1:1")),
        "a file name printed a line of its own: {out}"
    );
    assert!(
        out.contains("research/x.md:1:1: error[forged]: fake\\ny-research.md:"),
        "{out}"
    );
}

#[test]
fn a_non_utf8_file_name_is_said_to_be_one() {
    use std::os::unix::ffi::OsStrExt;
    let (_t, root) = workspace(&[]);
    let dir = root.join("agentops/infrastructure-ops/research");
    let name = std::ffi::OsStr::from_bytes(b"bad-\xff-research.md");
    std::fs::write(dir.join(name), "# Research: bad\n").unwrap();
    let out = check(&root).stdout;
    assert!(!out.contains("No such file"), "{out}");
    assert!(out.contains("the file name is not valid UTF-8"), "{out}");
}

#[test]
fn a_nul_after_the_first_8_kb_is_binary() {
    let mut text = research_with(&"word ".repeat(4000));
    text.push('\0');
    let (_t, root) = workspace(&[(RESEARCH, &text)]);
    let out = check(&root).stdout;
    assert!(
        out.contains("file looks binary (it contains NUL bytes)"),
        "{out}"
    );
}

#[test]
fn a_huge_value_is_not_echoed_whole() {
    let value = "v".repeat(10 << 20);
    let (_t, root) = workspace(&[(
        RESEARCH,
        &format!("---\nstatus: {value}\n---\n# Research: Cache\n\n{SECTIONS}"),
    )]);
    let out = check(&root).stdout;
    let line = on(&out, RESEARCH)
        .into_iter()
        .find(|l| l.contains("frontmatter-invalid-value"))
        .unwrap_or_else(|| panic!("no finding on the value: {} bytes", out.len()));
    assert!(line.len() < 3000, "{} bytes", line.len());
    assert!(line.contains("vvvv…`"), "{}", &line[..200.min(line.len())]);
}

/// A name with a newline that would print `forged: …` as a line of its own.
const FORGED: &str = "x\nforged: line";

/// No line of `out` starts with the forged text; the escaped name is there.
fn not_forged(out: &str) {
    assert!(
        !out.lines().any(|l| l.starts_with("forged")),
        "a repository name printed a line of its own:\n{out}"
    );
    assert!(out.contains("x\\nforged: line"), "{out}");
}

#[test]
fn status_escapes_names_from_the_repository() {
    let rel = format!("agentops/infrastructure-ops/research/{FORGED}-research.md");
    let (_t, root) = workspace(&[(&rel, &format!("# Research: X\n\n{SECTIONS}"))]);
    let r = run(&root, &["status", ".", "--no-cache"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    not_forged(&r.stdout);
}

#[test]
fn trace_escapes_paths_and_declarations() {
    let spec = format!("agentops/product-dev/specs/2025-11-07-{FORGED}/spec.md");
    // YAML's `\n` escape: the declared path holds the newline too.
    let declared = FORGED.replace('\n', "\\n");
    let text = format!("---\nproduces:\n  - \"src/{declared}/**\"\n---\n# Spec\n");
    let (_t, root) = workspace(&[(&spec, &text)]);
    std::fs::create_dir_all(root.join("src").join(FORGED)).unwrap();
    let r = run(&root, &["trace", &format!("src/{FORGED}"), "--no-cache"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    not_forged(&r.stdout);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

#[test]
fn bundle_list_and_load_escape_names() {
    let digest = format!("{BUNDLES}/{FORGED}.md");
    let text = format!(
        "---\ntype: \"{}\"\ncreated: 2025-11-07\n---\n# Bundle\n",
        "t\\nforged: type"
    );
    let (_t, root) = workspace(&[(&digest, &text)]);
    let r = run(&root, &["bundle", "list"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    not_forged(&r.stdout);
    assert!(r.stdout.contains("t\\nforged: type"), "{}", r.stdout);
    // The report that quotes the name (an unrecorded bundle loads, "not
    // verified") keeps it on one line on stderr.
    let r = run(&root, &["bundle", "load", FORGED]);
    assert!(r.stderr.contains("not verified"), "{}", r.stderr);
    not_forged(&r.stderr);
}
