//! Sync targets (issue 15): the places besides the local `~/.aws` where a session is written.
//! Each is a [`Files`] implementation plus the paths of its AWS files, and every action runs
//! its own code on it, the same code that writes the local files. A target that fails is
//! reported in the result's `targets` and never undoes or blocks the local write.

mod files;
mod local;
mod ssh;
pub mod wsl;

use std::path::{Path, PathBuf};

use ssobridge_core::protocol::{SyncTarget, TargetResult};

pub use files::Files;
pub use local::{lock_config, LocalFiles};
pub use ssh::{SshFiles, CONFIG_ENV as SSH_CONFIG_ENV};

use crate::error::HostError;
use crate::paths::AwsPaths;

/// A target's files and where its AWS files are.
pub struct Place {
    pub files: Box<dyn Files>,
    pub paths: AwsPaths,
}

/// The paths of an `.aws` folder (a target has no `AWS_CONFIG_FILE`).
fn aws_paths(aws: &Path) -> AwsPaths {
    AwsPaths {
        home: aws.parent().map_or_else(PathBuf::new, Path::to_path_buf),
        config_file: aws.join("config"),
        sso_cache_dir: aws.join("sso").join("cache"),
        cli_cache_dir: aws.join("cli").join("cache"),
    }
}

pub fn open(target: &SyncTarget) -> Result<Place, HostError> {
    Ok(match target {
        SyncTarget::Folder { path } => Place { files: Box::new(LocalFiles), paths: aws_paths(Path::new(path)) },
        SyncTarget::Ssh { host } => {
            Place { files: Box::new(SshFiles::new(host)), paths: aws_paths(&SshFiles::aws_dir()) }
        }
        SyncTarget::Wsl { distro } => Place { files: Box::new(LocalFiles), paths: aws_paths(&wsl::aws_dir(distro)?) },
    })
}

/// Runs `op` on every target, under that target's lock; each gets its own result. A target
/// that fails the core's checks gets `invalid_field` and is never opened.
pub fn each(
    targets: &[SyncTarget],
    mut op: impl FnMut(&dyn Files, &AwsPaths) -> Result<(), HostError>,
) -> Vec<TargetResult> {
    targets
        .iter()
        .enumerate()
        .map(|(i, target)| {
            let checked = ssobridge_core::targets::entry("params.targets", targets, i).map_err(HostError::Field);
            let outcome = checked.and_then(|()| open(target)).and_then(|place| {
                let _lock = place.files.lock(&place.paths.config_file)?;
                op(place.files.as_ref(), &place.paths)
            });
            match outcome {
                Ok(()) => TargetResult::done(target),
                Err(e) => {
                    let body = e.to_body();
                    tracing::warn!(kind = kind(target), code = body.code.as_str(), "sync target failed: {e}");
                    TargetResult::failed(target, body)
                }
            }
        })
        .collect()
}

/// For logs: the kind only (a path or host name says more than a log needs).
fn kind(target: &SyncTarget) -> &'static str {
    match target {
        SyncTarget::Folder { .. } => "folder",
        SyncTarget::Ssh { .. } => "ssh",
        SyncTarget::Wsl { .. } => "wsl",
    }
}
