//! A progress line on stderr while a long command runs: only when stderr is
//! a terminal (never in a pipe, a file or CI logs), only once the run has
//! lasted long enough to be worth it, and erased before the command prints.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a run goes before the line appears: a warm `check` never shows it.
const DELAY: Duration = Duration::from_millis(400);
/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(100);

#[derive(Default)]
struct Counts {
    done: AtomicUsize,
    total: AtomicUsize,
    stop: AtomicBool,
}

/// Drawn by a thread of its own; stopped (and the line erased) on drop.
pub struct Progress {
    counts: Arc<Counts>,
    drawer: Option<JoinHandle<()>>,
}

impl Progress {
    /// A progress line labelled `what` (`reading`), drawn only when stderr is a terminal.
    pub fn start(what: &'static str) -> Progress {
        let counts = Arc::new(Counts::default());
        let drawer = std::io::stderr().is_terminal().then(|| {
            let counts = Arc::clone(&counts);
            std::thread::spawn(move || draw(&counts, what))
        });
        Progress { counts, drawer }
    }

    /// A hook for [`crate::workspace::scan_reporting`]: (done, total).
    pub fn report(&self, done: usize, total: usize) {
        self.counts.total.store(total, Ordering::Relaxed);
        self.counts.done.store(done, Ordering::Relaxed);
    }

    /// Stops the line and erases it.
    pub fn finish(self) {}
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.counts.stop.store(true, Ordering::Relaxed);
        if let Some(d) = self.drawer.take() {
            let _ = d.join();
        }
    }
}

/// [`crate::workspace::scan`] with a progress line on a terminal.
pub fn scan(
    ws: &mut crate::workspace::Workspace,
    cache: &crate::workspace::CacheMode,
) -> crate::workspace::ScanStats {
    let line = Progress::start("reading");
    let stats = crate::workspace::scan_reporting(ws, cache, &|d, t| line.report(d, t));
    line.finish();
    stats
}

fn draw(counts: &Counts, what: &str) {
    let mut waited = Duration::ZERO;
    let mut shown = false;
    while !counts.stop.load(Ordering::Relaxed) {
        std::thread::sleep(TICK);
        waited += TICK;
        if waited < DELAY {
            continue;
        }
        let line = render(
            what,
            counts.done.load(Ordering::Relaxed),
            counts.total.load(Ordering::Relaxed),
        );
        let _ = write!(std::io::stderr().lock(), "\r\x1b[K{line}");
        shown = true;
    }
    if shown {
        let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
    }
}

/// `reading  1234/20000 files [=====               ]  6%`, or the label
/// alone while the count is not known.
pub fn render(what: &str, done: usize, total: usize) -> String {
    const WIDTH: usize = 20;
    if total == 0 {
        return format!("{what}…");
    }
    let done = done.min(total);
    let filled = done * WIDTH / total;
    format!(
        "{what} {done}/{total} files [{}{}] {:>3}%",
        "=".repeat(filled),
        " ".repeat(WIDTH - filled),
        done * 100 / total
    )
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn lines() {
        assert_eq!(render("reading", 0, 0), "reading…");
        assert_eq!(
            render("reading", 5, 20),
            "reading 5/20 files [=====               ]  25%"
        );
        assert_eq!(
            render("reading", 20, 20),
            "reading 20/20 files [====================] 100%"
        );
        // A count past the total (a file added while walking) stays in the bar.
        assert_eq!(
            render("reading", 30, 20),
            "reading 20/20 files [====================] 100%"
        );
    }
}
