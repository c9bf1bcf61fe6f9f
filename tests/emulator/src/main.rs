fn main() {
    eprintln!("idc-emulator: not implemented yet");
    std::process::exit(2);
}
