//! `discoverTargets`: the sync targets this machine offers by itself (WSL distributions on
//! Windows). Folders and SSH hosts are never guessed: the person adds them.

use ssobridge_core::protocol::DiscoverTargetsResult;

use crate::targets::wsl;

pub fn run() -> DiscoverTargetsResult {
    DiscoverTargetsResult { targets: wsl::discover() }
}
