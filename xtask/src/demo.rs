//! `cargo xtask demo`: runs the product against the built-in IAM Identity Center emulator.
//!
//! Today it builds everything and starts the emulator with a sample organisation, then says how
//! to use it. The browser-driven part (Chromium with the extension signing in and syncing
//! profiles) arrives with the extension (issue 5); until then this says so rather than pretend.
use crate::emulator::Emulator;
use crate::sh::{self, cmd, root, Result};
use crate::{extension, prereqs};

pub fn run() -> Result {
    prereqs::ensure_rust_targets()?;
    sh::run(cmd("cargo").args(["build", "-p", "idc-emulator", "-p", "ssobridge-host"]))?;
    extension::build()?;
    let config = root().join("tests/emulator/demo-org.json");
    let mut args = vec!["--auto-approve"];
    let config_arg;
    if config.exists() {
        config_arg = config.display().to_string();
        args.extend(["--config", config_arg.as_str()]);
    }
    let emu = Emulator::start(&args)?;
    let url = emu.url();
    println!(
        "\nThe IAM Identity Center emulator is running at {url}\n\
         \n  access portal page:   {url}/start\
         \n  device verification:  {url}/device\
         \n  OIDC, portal and STS endpoints: {url}\n\
         \nTry it with the AWS CLI v1 from the test venv (.venv/bin/aws):\
         \n  export AWS_ENDPOINT_URL_SSO={url} AWS_ENDPOINT_URL_SSO_OIDC={url} AWS_ENDPOINT_URL_STS={url}\
         \n  .venv/bin/aws sso-oidc register-client --client-name demo --client-type public --region us-east-1\n\
         \nThe unpacked extension is in {chromium} (Chromium) and {firefox} (Firefox).\
         \nThe scripted browser sign-in and profile sync are not part of the demo yet (issue 5).\
         \nPress Ctrl-C to stop.",
        chromium = extension::dist("chromium").display(),
        firefox = extension::dist("firefox").display(),
    );
    loop {
        std::thread::park();
    }
}
