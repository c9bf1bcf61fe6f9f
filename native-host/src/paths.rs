//! Where the AWS files are, resolved the way the AWS CLI resolves them.

use std::path::{Path, PathBuf};

use crate::error::HostError;

/// The files the host reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsPaths {
    pub home: PathBuf,
    /// `AWS_CONFIG_FILE`, or `~/.aws/config`.
    pub config_file: PathBuf,
    /// `~/.aws/sso/cache` (not configurable in any AWS client).
    pub sso_cache_dir: PathBuf,
    /// `~/.aws/cli/cache`, CLI v2's cache of role credentials.
    pub cli_cache_dir: PathBuf,
}

impl AwsPaths {
    /// From the process environment: `HOME` (`USERPROFILE` first on Windows) and `AWS_CONFIG_FILE`.
    pub fn from_env() -> Result<Self, HostError> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let home = if cfg!(windows) { var("USERPROFILE").or_else(|| var("HOME")) } else { var("HOME") };
        let home = home.ok_or(HostError::NoHome)?;
        Ok(Self::new(home, var("AWS_CONFIG_FILE")))
    }

    pub fn new(home: PathBuf, config_override: Option<PathBuf>) -> Self {
        let aws = home.join(".aws");
        let config_file = match config_override {
            Some(path) => expand_tilde(&path, &home),
            None => aws.join("config"),
        };
        AwsPaths {
            config_file,
            sso_cache_dir: aws.join("sso").join("cache"),
            cli_cache_dir: aws.join("cli").join("cache"),
            home,
        }
    }
}

/// botocore runs `os.path.expanduser` on `AWS_CONFIG_FILE`.
fn expand_tilde(path: &Path, home: &Path) -> PathBuf {
    match path.to_str() {
        Some("~") => home.to_path_buf(),
        Some(s) if s.starts_with("~/") || s.starts_with("~\\") => home.join(&s[2..]),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_override_and_tilde() {
        let p = AwsPaths::new("/h".into(), None);
        assert_eq!(p.config_file, PathBuf::from("/h/.aws/config"));
        assert_eq!(p.sso_cache_dir, PathBuf::from("/h/.aws/sso/cache"));
        let p = AwsPaths::new("/h".into(), Some("~/cfg/aws".into()));
        assert_eq!(p.config_file, PathBuf::from("/h/cfg/aws"));
        let p = AwsPaths::new("/h".into(), Some("/etc/aws".into()));
        assert_eq!(p.config_file, PathBuf::from("/etc/aws"));
    }
}
