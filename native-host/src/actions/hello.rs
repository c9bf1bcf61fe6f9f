use ssobridge_core::protocol::{HelloResult, PROTOCOL_VERSION};

use super::{path_string, Context};

pub fn run(ctx: &Context) -> HelloResult {
    HelloResult {
        protocol: PROTOCOL_VERSION,
        version: ssobridge_core::VERSION.to_string(),
        config_file: path_string(&ctx.paths.config_file),
        sso_cache_dir: path_string(&ctx.paths.sso_cache_dir),
        os: std::env::consts::OS.to_string(),
    }
}
