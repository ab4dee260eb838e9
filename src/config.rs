//! `crmit.toml`: the one file beside the binary that holds the site's settings and secrets.
//! An upgrade replaces only the binary, so everything that must survive lives here.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Marks a secret that `init-config` has not filled in yet; serving with it is refused.
pub const PLACEHOLDER: &str = "CHANGE-ME";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("не удалось прочитать файл настроек {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("ошибка в файле настроек {path}: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("в файле настроек {path} не задан секрет {name}: выполните `crmit init-config`")]
    MissingSecret { path: PathBuf, name: &'static str },
    #[error("неизвестный часовой пояс {0} в файле настроек")]
    TimeZone(String),
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub database: DatabaseConfig,
    pub security: SecurityConfig,
    #[serde(default)]
    pub site: SiteConfig,
    #[serde(default)]
    pub mail: Option<MailConfig>,
    #[serde(default)]
    pub vk: Option<VkConfig>,
    #[serde(default)]
    pub dump: DumpConfig,
    #[serde(default)]
    pub backup: BackupConfig,
    /// Where the file was read from (not part of the file).
    #[serde(skip)]
    pub path: PathBuf,
    /// `site.time_zone`, parsed once when the file is loaded.
    #[serde(skip, default = "default_zone")]
    zone: chrono_tz::Tz,
}

fn default_zone() -> chrono_tz::Tz {
    chrono_tz::Asia::Barnaul
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `mysql://user:password@host:port/database`
    pub url: String,
    /// Unix socket of the server; when set it is used instead of the URL's host and port.
    #[serde(default)]
    pub socket: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityConfig {
    /// Signs session cookies and keys the fast access-token hash.
    pub secret_key: String,
    /// The original's ACCESS_TOKEN_SALT: still needed to recognise tokens it issued.
    pub access_token_salt: String,
    #[serde(default = "default_true")]
    pub developer_read_only: bool,
    /// Sends `Strict-Transport-Security` with the answers to HTTPS requests. Off by default: once
    /// a browser has seen it, it refuses plain HTTP to the host for a year, so it is turned on
    /// only where HTTPS is there to stay.
    #[serde(default)]
    pub hsts: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Path under which the site is mounted, without a trailing slash ("" for the domain root).
    pub url_prefix: String,
    pub time_zone: String,
    /// Larger request bodies get 413.
    pub max_body_bytes: usize,
    /// Adds a `Server-Timing` header telling where a request's time went (connecting, the
    /// bookkeeping, the handler, rendering, the end of the transaction): for the benchmark,
    /// off on a live site, where it would tell visitors about the server's load.
    pub server_timing: bool,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            url_prefix: String::new(),
            time_zone: "Asia/Barnaul".into(),
            max_body_bytes: 1024 * 1024,
            server_timing: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    pub host: String,
    pub port: u16,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    pub from: String,
    /// "tls" (implicit TLS), "starttls" or "none" (only for a local relay).
    #[serde(default = "default_tls")]
    pub security: String,
    /// A PEM file of root certificates trusted for the server besides the public roots (a
    /// hosting's own CA, the tests' CA). Relative to this file's directory once loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VkConfig {
    pub access_token: String,
    #[serde(default = "default_vk_api")]
    pub api_base: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DumpConfig {
    pub dir: String,
    pub keep: usize,
    pub mail_to: String,
}

impl Default for DumpConfig {
    fn default() -> Self {
        DumpConfig {
            dir: "dumps".into(),
            keep: 30,
            mail_to: String::new(),
        }
    }
}

/// `[backup]`: where `crmit backup` keeps its files, as `[dump]` does for dumps: `dir` relative to
/// this file's directory, the newest `keep` files (0 keeps all), each mailed to `mail_to`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackupConfig {
    pub dir: String,
    pub keep: usize,
    pub mail_to: String,
}

impl Default for BackupConfig {
    fn default() -> Self {
        BackupConfig {
            dir: "backups".into(),
            keep: 30,
            mail_to: String::new(),
        }
    }
}

fn default_true() -> bool {
    true
}
fn default_tls() -> String {
    "tls".into()
}
fn default_vk_api() -> String {
    "https://api.vk.com/method".into()
}

/// A path of the config file relative to the file's directory (an absolute one stays as it is).
pub fn beside(config_path: &Path, relative: impl AsRef<Path>) -> PathBuf {
    config_path.parent().unwrap_or(Path::new("")).join(relative)
}

/// The two secrets of a new config.
pub struct Secrets {
    pub secret_key: String,
    pub access_token_salt: String,
}

impl Config {
    /// The config path: `--config`, else `CRMIT_CONFIG` (also as Apache's `REDIRECT_CRMIT_CONFIG`),
    /// else `crmit.toml` beside the executable.
    pub fn locate(explicit: Option<&Path>) -> PathBuf {
        if let Some(p) = explicit {
            return p.to_path_buf();
        }
        for var in ["CRMIT_CONFIG", "REDIRECT_CRMIT_CONFIG"] {
            if let Some(v) = std::env::var_os(var).filter(|v| !v.is_empty()) {
                return PathBuf::from(v);
            }
        }
        let exe_dir = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        exe_dir.join("crmit.toml")
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        let mut config: Config = toml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: path.into(),
            source,
        })?;
        config.path = path.to_path_buf();
        if let Some(ca_file) = config.mail.as_mut().and_then(|m| m.ca_file.as_mut()) {
            *ca_file = beside(path, &*ca_file);
        }
        config.zone = config
            .site
            .time_zone
            .parse()
            .map_err(|_| ConfigError::TimeZone(config.site.time_zone.clone()))?;
        config.site.url_prefix = config.site.url_prefix.trim_end_matches('/').to_string();
        Ok(config)
    }

    /// Refuses secrets that are empty or still the placeholder: serving with them would let anyone
    /// forge sessions.
    pub fn check_secrets(&self) -> Result<(), ConfigError> {
        let weak = |s: &str| s.trim().is_empty() || s.contains(PLACEHOLDER);
        for (name, value) in [
            ("security.secret_key", &self.security.secret_key),
            (
                "security.access_token_salt",
                &self.security.access_token_salt,
            ),
        ] {
            if weak(value) {
                return Err(ConfigError::MissingSecret {
                    path: self.path.clone(),
                    name,
                });
            }
        }
        Ok(())
    }

    /// The centre's time zone: every local date and time ("today", shown times) is read in it.
    pub fn zone(&self) -> chrono_tz::Tz {
        self.zone
    }

    /// A fresh config with the given secrets (random ones, drawn by `init-config`).
    pub fn fresh(database_url: &str, socket: Option<String>, secrets: Secrets) -> Config {
        Config {
            database: DatabaseConfig {
                url: database_url.into(),
                socket,
            },
            security: SecurityConfig {
                secret_key: secrets.secret_key,
                access_token_salt: secrets.access_token_salt,
                developer_read_only: true,
                hsts: false,
            },
            site: SiteConfig::default(),
            mail: None,
            vk: None,
            dump: DumpConfig::default(),
            backup: BackupConfig::default(),
            path: PathBuf::new(),
            zone: default_zone(),
        }
    }
}
