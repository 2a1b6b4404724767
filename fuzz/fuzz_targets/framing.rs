//! The stdio framing in front of the language server: arbitrary bytes from
//! the client, cut into frames (fed in pieces whose size the first byte
//! picks) and checked as the server's input pump does. Nothing may panic,
//! and the deframer's buffer stays bounded (asserted inside).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    agentops_lsp::lsp::framing::fuzz_frames(data);
});
