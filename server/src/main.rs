fn main() -> std::process::ExitCode {
    agentops_lsp::cli::main()
}
