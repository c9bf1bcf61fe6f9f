//! `idc-emulator --port PORT [--config FILE] [flags]`: serve until killed.
//!
//! Prints exactly one line, `listening on http://127.0.0.1:PORT`, to stdout when ready; logs
//! go to stderr.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use idc_emulator::config::Accounts;
use idc_emulator::{Config, Emulator};

#[derive(Parser, Debug)]
#[command(name = "idc-emulator", version, about = "A local stand-in for AWS IAM Identity Center")]
struct Args {
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// JSON configuration file (camelCase; every field optional). Flags override it.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Number of generated accounts.
    #[arg(long)]
    accounts: Option<u32>,
    /// Roles per generated account.
    #[arg(long)]
    roles_per_account: Option<u32>,
    /// Requests per second for the portal listing calls (ListAccounts + ListAccountRoles).
    #[arg(long)]
    throttle_rps: Option<f64>,
    /// Latency added to every AWS API response, in milliseconds.
    #[arg(long)]
    latency_ms: Option<u64>,
    /// Fraction (0..=1) of portal calls answered 500 InternalServerException.
    #[arg(long)]
    error_rate: Option<f64>,
    /// The `interval` handed out for device-code polling (0: no slow_down).
    #[arg(long)]
    poll_interval_secs: Option<u64>,
    /// Approve device codes and authorization requests without a person.
    #[arg(long)]
    auto_approve: bool,
}

fn load_config(args: &Args) -> Result<Config, String> {
    let mut config = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Config::from_json(&text).map_err(|e| format!("invalid config {}: {e}", path.display()))?
        }
        None => Config::default(),
    };
    if let Some(n) = args.accounts {
        config.accounts = Accounts::Count(n);
    }
    if let Some(n) = args.roles_per_account {
        config.roles_per_account = n;
    }
    if let Some(r) = args.throttle_rps {
        config.throttle.listing_rps = Some(r);
    }
    if let Some(ms) = args.latency_ms {
        config.latency_ms = ms;
    }
    if let Some(r) = args.error_rate {
        config.faults.server_error_rate = r;
    }
    if let Some(s) = args.poll_interval_secs {
        config.poll_interval_secs = s;
    }
    if args.auto_approve {
        config.auto_approve = true;
    }
    config.validate().map_err(|e| format!("invalid settings: {e}"))?;
    Ok(config)
}

fn main() -> ExitCode {
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_ansi(ansi).with_target(false).init();
    let args = Args::parse();
    let config = match load_config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("idc-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let emulator = match Emulator::start_on(config, args.port) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("idc-emulator: cannot listen on 127.0.0.1:{}: {e}", args.port);
            return ExitCode::from(1);
        }
    };
    let mut out = std::io::stdout().lock();
    if writeln!(out, "listening on {}", emulator.url()).and_then(|_| out.flush()).is_err() {
        return ExitCode::from(1);
    }
    drop(out);
    // Serve until killed; the server runs on the emulator's own thread.
    loop {
        std::thread::park();
    }
}
