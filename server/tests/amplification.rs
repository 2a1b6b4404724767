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
    let dir = tempfile::tempdir().unwrap();
    let research = dir.path().join(DIR);
    std::fs::create_dir_all(&research).unwrap();
    for (name, text) in files {
        std::fs::write(research.join(format!("{name}-research.md")), text).unwrap();
    }
    dir
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
