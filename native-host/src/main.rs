//! `ssobridge-host`: started by a browser (native messaging) or by a person (CLI).
#![deny(clippy::print_stdout)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ssobridge_host::caller::{self, ALLOWED_EXTENSIONS};
use ssobridge_host::install::{Browser, InstallOptions};
use ssobridge_host::{actions, doctor, install, install_self, serve};

/// Exit status when the calling extension is not allowed.
const EXIT_CALLER_REFUSED: u8 = 3;

#[derive(Parser)]
#[command(
    name = "ssobridge-host",
    version,
    about = "SSO Bridge native-messaging host: writes the SSO token and profiles into ~/.aws"
)]
struct Cli {
    /// Without a command: install for this user and register with every browser found.
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Install a copy for this user and register it with browsers (native-messaging manifests).
    Install(InstallArgs),
    /// Remove what `install` did: manifests, registry keys and (with `all`) the installed copy.
    Uninstall(UninstallArgs),
    /// Show where the host is registered, whether ~/.aws/config parses, and which tokens are valid.
    Doctor,
}

#[derive(clap::Args)]
struct InstallArgs {
    /// Which browser: `found` is every one with a profile folder, `all` every supported one.
    #[arg(long, value_enum, default_value = "found")]
    browser: Browser,
    /// Register this binary for this browser profile directory (e.g. a test's --user-data-dir)
    /// instead of installing a copy for the user. Chromium-family only.
    #[arg(long)]
    user_data_dir: Option<std::path::PathBuf>,
}

#[derive(clap::Args)]
struct UninstallArgs {
    /// Which browser; `all` also removes the installed copy of the host.
    #[arg(long, value_enum, default_value = "all")]
    browser: Browser,
    /// Use this browser profile directory (e.g. a test's --user-data-dir) instead of the
    /// per-user default. Chromium-family only.
    #[arg(long)]
    user_data_dir: Option<std::path::PathBuf>,
}

fn init_logging() {
    // Logs go to stderr (the browser's log); stdout is the message stream.
    let level = match std::env::var("SSOBRIDGE_LOG").as_deref() {
        Ok("debug") => tracing::Level::DEBUG,
        Ok("info") => tracing::Level::INFO,
        Ok("error") => tracing::Level::ERROR,
        _ => tracing::Level::WARN,
    };
    use std::io::IsTerminal;
    let ansi = std::io::stderr().is_terminal();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(false)
        .with_ansi(ansi)
        .init();
}

fn main() -> ExitCode {
    init_logging();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(caller) = caller::detect(&args) {
        if !caller::is_allowed(&caller) {
            eprintln!(
                "ssobridge-host: refusing extension {:?}; only {:?} (Chromium) and {:?} (Firefox) may use this host",
                caller.extension_id(),
                ALLOWED_EXTENSIONS.chromium,
                ALLOWED_EXTENSIONS.firefox
            );
            return ExitCode::from(EXIT_CALLER_REFUSED);
        }
        let ctx = match actions::Context::from_env() {
            Ok(ctx) => ctx,
            Err(e) => {
                eprintln!("ssobridge-host: {e}");
                return ExitCode::from(2);
            }
        };
        let status = serve::serve(&ctx, std::io::stdin().lock(), std::io::stdout().lock());
        return ExitCode::from(status as u8);
    }
    let cli = Cli::parse();
    let double_clicked = install_self::started_by_double_click();
    let result = match cli.command {
        None => install::install(&InstallOptions { browser: Browser::Found, user_data_dir: None }),
        Some(Command::Install(a)) => {
            install::install(&InstallOptions { browser: a.browser, user_data_dir: a.user_data_dir })
        }
        Some(Command::Uninstall(a)) => {
            install::uninstall(&InstallOptions { browser: a.browser, user_data_dir: a.user_data_dir })
        }
        Some(Command::Doctor) => doctor::run(),
    };
    if let Err(e) = &result {
        eprintln!("ssobridge-host: {e}");
    }
    if double_clicked {
        install_self::wait_for_enter();
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
