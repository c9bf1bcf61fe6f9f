//! `cargo xtask`: the one entry point for building, testing and demonstrating SSO Bridge.
use clap::{Parser, Subcommand};

mod bench;
mod demo;
mod dist;
mod dist_check;
mod dist_debian;
mod dist_wine;
mod emulator;
mod extension;
mod fuzz;
mod install;
mod prereqs;
mod sh;
mod test;
mod wine;

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
        /// Run only these tiers (rust, wasm, python, browser, checks, dist, fuzz).
        #[arg(long = "only")]
        only: Vec<String>,
    },
    /// Run the product against the built-in IAM Identity Center emulator.
    Demo,
    /// Run the coverage-guided fuzz targets in fuzz/ (all, or one) and report any crash.
    Fuzz {
        /// Seconds per target (default 60).
        #[arg(long)]
        seconds: Option<u64>,
        /// One target (config_roundtrip, config_edit, protocol_request, host_framing,
        /// token_cache, oidc_responses, portal_listing); all when left out.
        target: Option<String>,
    },
    /// Build every release artifact into target/dist/: the host for each OS and CPU, the
    /// Chromium zip, the Firefox xpi, SHA256SUMS.
    Dist,
    /// Measure the performance budgets and print one table (measured, budget, ok/over).
    Bench {
        #[command(subcommand)]
        only: Option<BenchOnly>,
    },
    /// Install a release native host for this user, register it with every browser, build the extension.
    Install {
        /// Install under this home instead of $HOME (for trying it out, and for tests).
        #[arg(long)]
        home: Option<std::path::PathBuf>,
    },
    /// Remove what `install` put in place.
    Uninstall {
        /// The home `install` was given.
        #[arg(long)]
        home: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum BenchOnly {
    /// Only the listing: S1-S3 against the emulator, or (with --portal and --token-file) the
    /// core's listing, natively, against any portal endpoint.
    Listing {
        /// The portal API's base URL (e.g. a mock portal's http://127.0.0.1:PORT).
        #[arg(long)]
        portal: Option<String>,
        /// A file holding the access token (sent as x-amz-sso_bearer_token).
        #[arg(long)]
        token_file: Option<std::path::PathBuf>,
    },
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Cmd::Build => extension::build(),
        Cmd::Test { only } => test::run(&only),
        Cmd::Demo => demo::run(),
        Cmd::Fuzz { seconds, target } => fuzz::run(seconds, target),
        Cmd::Dist => dist::run(),
        Cmd::Bench { only: None } => bench::run(),
        Cmd::Bench { only: Some(BenchOnly::Listing { portal, token_file }) } => bench::listing(portal, token_file),
        Cmd::Install { home } => install::install(home),
        Cmd::Uninstall { home } => install::uninstall(home),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
