//! Amplification: hostile files must cost bounded time and memory. The
//! binary runs `check` under a data-segment limit (`ulimit -d`, which covers
//! the heap and every private writable mapping) and a wall-clock limit; a
//! parse that blows up aborts on allocation or is killed, and the test fails.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DIR: &str = "agentops/infrastructure-ops/research";

struct Run {
    status: Option<i32>,
    stdout: String,
    elapsed: Duration,
}

/// `check ROOT` with at most `data_mb` MB of data and `cpu_secs` seconds of
/// CPU (`ulimit -t`: the kernel kills it beyond that). CPU time, not wall
/// time, is what the budget bounds and what a busy machine does not inflate;
/// the wall clock only ends a run that hangs (4 × the CPU limit).
fn check_limited(root: &Path, data_mb: u64, cpu_secs: u64) -> Run {
    let bin = env!("CARGO_BIN_EXE_agentops-lsp");
    let secs = 4 * cpu_secs;
    let script = format!(
        "ulimit -d {} && ulimit -t {cpu_secs} && exec \"$0\" check \"$1\" --no-cache",
        data_mb * 1024
    );
    let started = Instant::now();
    let mut child = Command::new("sh")
        .args(["-c", &script, bin])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st.code();
        }
        if started.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Run {
        status,
        stdout: reader.join().unwrap(),
        elapsed: started.elapsed(),
    }
}

fn workspace(files: &[(&str, String)]) -> tempfile::TempDir {
    let named: Vec<(String, String)> = files
        .iter()
        .map(|(name, text)| (format!("{DIR}/{name}-research.md"), text.clone()))
        .collect();
    files_at(&named)
}

/// A workspace of files at the given root-relative paths.
fn files_at(files: &[(String, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn count(stdout: &str, needle: &str) -> usize {
    stdout.matches(needle).count()
}

/// A paragraph of 400 KB of `[` cost ~170 MB and seconds in the inline pass
/// (about 400 bytes and 10 µs per byte); now it is not inline-parsed, a
/// finding says so, and the rest of the file is still read.
#[test]
fn a_paragraph_of_brackets_is_bounded() {
    let text = format!(
        "# Research: x\n\nSee [the plan](missing-plan.md).\n\n{}\n",
        "[".repeat(400_000)
    );
    let dir = workspace(&[("brackets", text)]);
    let run = check_limited(dir.path(), 96, 30);
    assert_eq!(
        run.status,
        Some(1),
        "killed or crashed after {:?}: {}",
        run.elapsed,
        run.stdout
    );
    let file = format!("{DIR}/brackets-research.md");
    assert!(
        run.stdout.contains(&format!(
            "{file}:5:1: warning[artifact-partial]: links and code spans of this block were not read (it holds over 64 KB of inline text)"
        )),
        "{}",
        run.stdout
    );
    // The link before it was read and judged.
    assert!(
        run.stdout
            .contains(&format!("{file}:3:5: error[link-broken]")),
        "{}",
        run.stdout
    );
}

/// 5.1 MB of `[` in one paragraph: no place to cut it (`syntax::split`),
/// so it is one piece of the block parse, which may spend the file's share
/// (150,000 units, `BLOCK_WORK`, ~5 million nodes of tree); this one needs
/// 153,000, so it is abandoned and reported, at any load (the budget counts
/// work, not time). The data limit holds the tree to what that share can
/// build; the CPU limit only stops a runaway parse.
#[test]
fn a_file_of_brackets_is_stopped_by_counted_work() {
    let dir = workspace(&[("brackets", "[".repeat(5_100_000))]);
    let run = check_limited(dir.path(), 1024, 150);
    assert_eq!(run.status, Some(1), "killed after {:?}", run.elapsed);
    assert!(
        run.stdout.contains(
            "error[artifact-unreadable]: parsing was abandoned (its block structure took over 150000 units of parse work)"
        ),
        "{}",
        run.stdout
    );
}

/// 1 MB of `## a` lines (200,000 headings, no blank line): cut at the
/// headings, so the file is read piece by piece within a small data limit,
/// and every heading is seen (a missing-section check still runs: exit 0
/// with warnings, never `artifact-unreadable`).
#[test]
fn headings_without_blank_lines_are_read_in_pieces() {
    let dir = workspace(&[(
        "headings",
        format!("# Research: x\n{}", "## a\n".repeat(200_000)),
    )]);
    let run = check_limited(dir.path(), 256, 150);
    assert!(
        !run.stdout.contains("artifact-unreadable"),
        "{}",
        run.stdout
    );
    assert!(
        matches!(run.status, Some(0 | 1)),
        "killed after {:?}: {}",
        run.elapsed,
        run.stdout
    );
}

/// 2 MB of `[` in paragraphs of 50,000 a blank line apart: parsed a piece
/// at a time, each piece's tree dropped before the next, so the whole file
/// is read (blocks, then the inline pass until the file's budget runs out)
/// under a data limit of 20 bytes per byte of input plus 64 MB. Before
/// pieces the one tree of the file took ~240 MB (a debug build under load
/// takes ~30 s of the 60 s backstop for it, so it is not larger).
#[test]
fn many_paragraphs_of_brackets_cost_a_small_multiple() {
    let para = format!("{}\n\n", "[".repeat(50_000));
    let dir = workspace(&[("brackets", format!("# Research: x\n\n{}", para.repeat(40)))]);
    let run = check_limited(dir.path(), 64 + 40, 150);
    // Warnings only (its sections are missing): exit 0, not killed.
    assert_eq!(
        run.status,
        Some(0),
        "killed after {:?}: {}",
        run.elapsed,
        run.stdout
    );
    assert!(
        !run.stdout.contains("artifact-unreadable"),
        "{}",
        run.stdout
    );
}

const SCENARIO: &str = "#### Scenario: s\n- **WHEN** x\n- **THEN** y\n\n";

fn openspec_spec(requirements: &str) -> String {
    format!(
        "# Cap Specification\n\n## Purpose\nWhat the capability is for, in a sentence of fifty characters.\n\n## Requirements\n\n{requirements}"
    )
}

fn openspec_change(delta: String) -> Vec<(String, String)> {
    vec![
        (
            "openspec/changes/add-x/proposal.md".into(),
            "# Change: X\n\n## Why\nBecause owners asked for it.\n\n## What Changes\n- x\n".into(),
        ),
        ("openspec/changes/add-x/specs/cap/spec.md".into(), delta),
    ]
}

/// 100,000 requirements in a spec and 100,000 REMOVED names none of which
/// it has: each name was looked up in every block of the spec (10^10
/// comparisons, minutes of CPU), and each finding searched 100,000 names
/// for a "did you mean". Now lookups are by hash, and one file reports at
/// most 200 findings of a code, the last saying how many more there are.
#[test]
fn a_hundred_thousand_requirements_are_checked_in_linear_time() {
    const N: usize = 100_000;
    // Headings and one line each: a scenario per requirement would take the
    // file past its parse budget (`artifact-unreadable`), and nothing else.
    let spec: String = (0..N)
        .map(|i| format!("### Requirement: R{i}\nThe system SHALL {i}.\n"))
        .collect();
    let delta: String = (0..N).map(|i| format!("### Requirement: Q{i}\n")).collect();
    let mut files = openspec_change(format!("## REMOVED Requirements\n\n{delta}"));
    files.push(("openspec/specs/cap/spec.md".into(), openspec_spec(&spec)));
    let dir = files_at(&files);
    let run = check_limited(dir.path(), 2048, 120);
    assert!(run.status.is_some(), "killed after {:?}", run.elapsed);
    let code = "[block-reference-unknown]";
    assert_eq!(
        count(&run.stdout, code),
        200,
        "{}",
        &run.stdout[..run.stdout.len().min(2000)]
    );
    assert!(
        run.stdout.contains(&format!(
            "({} more `block-reference-unknown` findings in this file are not shown)",
            N - 200
        )),
        "{}",
        &run.stdout[..run.stdout.len().min(2000)]
    );
}

fn kiro(requirements: usize, tasks: &str) -> Vec<(String, String)> {
    let reqs: String = (1..=requirements)
        .map(|i| format!("### Requirement {i}\n\n#### Acceptance Criteria\n\n1. WHEN a THEN the system SHALL b\n\n"))
        .collect();
    vec![
        (
            ".kiro/specs/f/requirements.md".into(),
            format!("# Requirements Document\n\n## Introduction\nx\n\n## Requirements\n\n{reqs}"),
        ),
        (
            ".kiro/specs/f/tasks.md".into(),
            format!("# Implementation Plan\n\n{tasks}"),
        ),
    ]
}

/// 100,000 Kiro requirements of which one task cites one: each was compared
/// with every id and every citation. Capped as above.
#[test]
fn a_hundred_thousand_uncovered_requirements_are_capped() {
    let dir = files_at(&kiro(100_000, "- [ ] 1. Do it\n  - _Requirements: 1.1_\n"));
    let run = check_limited(dir.path(), 2048, 120);
    assert!(run.status.is_some(), "killed after {:?}", run.elapsed);
    assert_eq!(
        count(&run.stdout, "[requirement-uncovered]"),
        200,
        "{}",
        &run.stdout[..run.stdout.len().min(2000)]
    );
    assert!(
        run.stdout
            .contains("(99799 more `requirement-uncovered` findings in this file are not shown)")
    );
}

/// One unknown id cited 100,000 times is one finding; it keeps 100 related
/// places and counts the rest. A known id cited 100,000 times costs a lookup
/// each.
#[test]
fn a_requirement_cited_a_hundred_thousand_times_is_one_finding() {
    let tasks: String =
        "- [ ] 1. Do it\n".to_string() + &"  - _Requirements: 1.1, 9.9_\n".repeat(100_000);
    let dir = files_at(&kiro(1, &tasks));
    let run = check_limited(dir.path(), 2048, 120);
    assert!(run.status.is_some(), "killed after {:?}", run.elapsed);
    assert_eq!(
        count(&run.stdout, "[task-requirement-unknown]"),
        1,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("`9.9` is not a requirement of .kiro/specs/f/requirements.md (it declares 1, 1.1) (also on lines 5, 6, 7, 8, 9 and 99994 more)"),
        "{}",
        run.stdout
    );
    assert_eq!(
        count(&run.stdout, "[requirement-uncovered]"),
        0,
        "{}",
        run.stdout
    );
}

/// A requirement name of a million characters, twice, in a MODIFIED section
/// whose spec lacks it: no quadratic "did you mean", and messages that echo
/// it are bounded.
#[test]
fn a_huge_requirement_name_is_bounded() {
    let name = "é".repeat(1_000_000);
    let block = format!("### Requirement: {name}\nThe system SHALL.\n\n{SCENARIO}");
    let mut files = openspec_change(format!("## MODIFIED Requirements\n\n{block}{block}"));
    files.push((
        "openspec/specs/cap/spec.md".into(),
        openspec_spec(&format!(
            "### Requirement: {}\nThe system SHALL.\n\n{SCENARIO}",
            "é".repeat(999_999)
        )),
    ));
    let dir = files_at(&files);
    let run = check_limited(dir.path(), 1024, 60);
    assert!(run.status.is_some(), "killed after {:?}", run.elapsed);
    assert_eq!(
        count(&run.stdout, "[block-reference-unknown]"),
        2,
        "{}",
        run.stdout.len()
    );
    assert_eq!(
        count(&run.stdout, "[block-duplicate]"),
        1,
        "{}",
        run.stdout.len()
    );
    assert!(
        run.stdout.lines().all(|l| l.len() < 4096),
        "a line of {} bytes",
        run.stdout.lines().map(str::len).max().unwrap_or(0)
    );
}
