//! Bundle snapshot decoding. Random bytes rarely get past zstd's frame
//! checksum, so the first byte chooses: 0 decodes the input as it is; any
//! other value compresses the rest first, so the tar reader (entry sizes,
//! counts, paths) sees the fuzzer's bytes directly.
#![no_main]

use agentops_lsp::bundle::snapshot::{Limits, decode};
use libfuzzer_sys::fuzz_target;

/// Small caps, so the size and count checks are reached within a short input.
const LIMITS: Limits = Limits {
    total: 1 << 20,
    entry: 64 << 10,
    entries: 64,
};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode == 0 {
        let _ = decode(rest, LIMITS);
        return;
    }
    let mut z = match zstd::stream::write::Encoder::new(Vec::new(), 1) {
        Ok(z) => z,
        Err(_) => return,
    };
    let _ = z.include_checksum(true);
    if std::io::Write::write_all(&mut z, rest).is_err() {
        return;
    }
    if let Ok(compressed) = z.finish() {
        let _ = decode(&compressed, LIMITS);
    }
});
