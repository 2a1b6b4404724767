//! Parse throughput of the syntax layer on the given files:
//! block grammar alone, then block + selective inline, then the full artifact.
//! `cargo run --release --example parse_throughput -- FILE...`

use std::time::Instant;

use agentops_lsp::artifact::{Class, Parsers, build};
use agentops_lsp::syntax::{block, inline};
use agentops_lsp::text::LineMap;

fn main() {
    let texts: Vec<String> = std::env::args()
        .skip(1)
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    let mut parsers = Parsers::default();

    let t = Instant::now();
    for text in &texts {
        let _ = block::parse(&mut parsers.block, text, None);
    }
    let block_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let mut inline_nodes = 0usize;
    let mut parsed_nodes = 0usize;
    for text in &texts {
        let Ok(tree) = block::parse(&mut parsers.block, text, None) else {
            continue;
        };
        let b = block::extract(text, &tree, 0);
        let lines = LineMap::new(text);
        let mut out = inline::Inlines::default();
        for r in &b.inlines {
            inline_nodes += 1;
            if inline::worth_parsing(text, r) {
                parsed_nodes += 1;
                inline::parse_into(&mut parsers.inline, text, &lines, r, &mut out);
            }
        }
    }
    let both_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    for text in &texts {
        if let Ok(tree) = block::parse(&mut parsers.block, text, None) {
            let _ = block::extract(text, &tree, 0);
        }
    }
    let extract_s = t.elapsed().as_secs_f64() - block_s;
    println!("block extract (walk):     {:.3} s", extract_s);

    let t = Instant::now();
    for text in &texts {
        let _ = build(&mut parsers, "x.md", text, Class::Unclaimed, None);
    }
    let art_s = t.elapsed().as_secs_f64();

    println!("{} files, {:.2} MB", texts.len(), mb);
    println!(
        "block grammar:            {:.3} s  {:.2} MB/s",
        block_s,
        mb / block_s
    );
    println!(
        "block + selective inline: {:.3} s  {:.2} MB/s  ({parsed_nodes} of {inline_nodes} inline nodes parsed)",
        both_s,
        mb / both_s
    );
    println!(
        "whole artifact build:     {:.3} s  {:.2} MB/s",
        art_s,
        mb / art_s
    );
}
