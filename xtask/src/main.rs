//! `cargo xtask`: the one entry point for building, testing and demonstrating SSO Bridge.
use clap::{Parser, Subcommand};

mod demo;
mod emulator;
mod extension;
mod prereqs;
mod sh;
mod test;

#[derive(Parser)]
#[command(about = "Build, test and demonstrate SSO Bridge")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Build the wasm core and the unpacked extension for Chromium and Firefox.
    Build,
    /// Install what is missing, then run every test tier; ends with `N passed, N failed`.
    Test {
        /// Run only these tiers (rust, wasm, python, browser, checks).
        #[arg(long = "only")]
        only: Vec<String>,
    },
    /// Run the product against the built-in IAM Identity Center emulator.
    Demo,
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Cmd::Build => extension::build(),
        Cmd::Test { only } => test::run(&only),
        Cmd::Demo => demo::run(),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
