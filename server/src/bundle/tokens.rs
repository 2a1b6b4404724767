//! Token counts, measured with a real tokenizer: OpenAI's `o200k_base` BPE
//! (tiktoken-rs), the encoding of current GPT models. Claude's tokenizer is
//! not public; counts from it differ by some percent, ratios much less.

pub const TOKENIZER: &str = "o200k_base";

pub fn count(text: &str) -> u64 {
    tiktoken_rs::o200k_base_singleton().count_ordinary(text) as u64
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        assert_eq!(super::count(""), 0);
        assert_eq!(super::count("hello world"), 2);
    }
}
