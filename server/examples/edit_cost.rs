//! Cost of re-extracting an open document after a one-character edit:
//! `cargo run --release --example edit_cost -- FILE`.

use std::time::Instant;

use agentops_lsp::syntax::{block, inline, units};
use agentops_lsp::text::LineMap;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        return;
    };
    let Ok(mut text) = std::fs::read_to_string(path) else {
        return;
    };
    let mut bp = block::new_parser();
    let mut ip = inline::new_parser();
    let mut cache = units::UnitCache::default();
    let mut times = Vec::new();
    let edits = if std::env::var_os("HITS_ONLY").is_some() {
        0
    } else {
        50
    };
    for i in 0..edits {
        // Insert one character near the top: every later block moves by one byte.
        text.insert(40 + i % 3, 'x');
        let Ok(tree) = block::parse(&mut bp, &text, None) else {
            return;
        };
        let t0 = Instant::now();
        let lines = LineMap::new(&text);
        let t_lines = t0.elapsed();
        let (b, _) = units::extract(&text, &tree, 0, &lines, &mut ip, &mut cache);
        times.push((t_lines, t0.elapsed() - t_lines, b.headings.len()));
    }
    // All hits: the same tree again.
    if let Ok(tree) = block::parse(&mut bp, &text, None) {
        let lines = LineMap::new(&text);
        let _ = units::extract(&text, &tree, 0, &lines, &mut ip, &mut cache);
        let t0 = Instant::now();
        for _ in 0..200 {
            let _ = units::extract(&text, &tree, 0, &lines, &mut ip, &mut cache);
        }
        println!("all hits: {:?} per run", t0.elapsed() / 200);
    }
    times.sort();
    if let Some((l, u, h)) = times.get(times.len() / 2) {
        println!("line map {l:?}, units {u:?} ({h} headings)");
    }
}
