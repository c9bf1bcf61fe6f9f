//! `cargo xtask demo`: the whole product against the built-in IAM Identity Center emulator.
//!
//! It installs what is missing, builds the emulator, the native host and the extension, then runs
//! `xtask/demo.mjs`: Chromium with the extension and the host registered in a temporary profile
//! and a temporary HOME signs in to a sample organisation (a dozen accounts, some with Japanese
//! names, three roles each), syncs every role into profiles, and the AWS CLI v1 uses one. It
//! prints the CLI's answer and the resulting config; the person's own ~/.aws is never touched.
use crate::sh::{self, cmd, Result};
use crate::{extension, prereqs, test};

pub fn run() -> Result {
    prereqs::ensure_all()?;
    sh::run(cmd("cargo").args(["build", "-p", "idc-emulator", "-p", "ssobridge-host"]))?;
    extension::build()?;
    sh::run(test::product_env(&mut cmd("node")).arg("xtask/demo.mjs"))
}
