fn main() {
    eprintln!("ssobridge-host {}: not implemented yet", ssobridge_core::VERSION);
    std::process::exit(2);
}
