fn main() -> std::process::ExitCode {
    findings::cli::main()
}
