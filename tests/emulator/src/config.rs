//! The emulator's configuration: a JSON file, the `Config` struct, and the generated accounts.
//!
//! Every field is optional (camelCase in JSON) so a test only states what it cares about.

use serde::{Deserialize, Serialize};

/// Everything that shapes the emulator's behaviour. `POST /admin/config` replaces top-level
/// fields of the live copy at run time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Config {
    /// People who can sign in. The first one approves device codes and consents unless a
    /// request names another.
    pub users: Vec<User>,
    /// A number of generated accounts, or an explicit list.
    pub accounts: Accounts,
    /// Roles per generated account (ignored for explicit accounts, which list their roles).
    pub roles_per_account: u32,
    pub access_token_lifetime_secs: u64,
    pub refresh_token_lifetime_secs: u64,
    pub registration_lifetime_secs: u64,
    pub device_code_lifetime_secs: u64,
    /// The `interval` handed out by StartDeviceAuthorization; polling faster answers `slow_down`.
    /// 0 disables `slow_down`.
    pub poll_interval_secs: u64,
    /// Lifetime of the role credentials GetRoleCredentials issues.
    pub role_credentials_lifetime_secs: u64,
    /// Page size of ListAccounts/ListAccountRoles when the client sends no `max_result`.
    pub default_page_size: u32,
    /// Added to every AWS API response (not to the admin API).
    pub latency_ms: u64,
    pub throttle: Throttle,
    pub faults: Faults,
    /// Approve every device code as soon as it is issued, and skip the consent page of
    /// `/authorize` (redirect straight back with a code).
    pub auto_approve: bool,
    /// Which device-verification page StartDeviceAuthorization links to: the classic
    /// `/device?user_code=…`, or the `*.signin.aws` form `/platform/authorize?request_uri=…`,
    /// which shows no user code anywhere (in the URL or on the page).
    pub device_page: DevicePage,
    /// More access portals on this emulator, told apart by the path of the start URL a sign-in
    /// named (device flow: StartDeviceAuthorization's `startUrl`; PKCE: RegisterClient's
    /// `issuerUrl`). Their sessions see these accounts instead of `accounts`, so two portals can
    /// have accounts of the same name with different ids.
    pub portals: Vec<PortalSpec>,
}

/// See [`Config::portals`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortalSpec {
    /// The start URL's path, e.g. `/` for `http://127.0.0.1:PORT` or `/other/start`; a trailing
    /// `/` does not count.
    pub start_url_path: String,
    pub accounts: Accounts,
}

/// See [`Config::device_page`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum DevicePage {
    #[default]
    Device,
    Signin,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            users: vec![User::default()],
            accounts: Accounts::Count(5),
            roles_per_account: 2,
            access_token_lifetime_secs: 3600,
            refresh_token_lifetime_secs: 8 * 3600,
            registration_lifetime_secs: 90 * 24 * 3600,
            device_code_lifetime_secs: 600,
            poll_interval_secs: 1,
            role_credentials_lifetime_secs: 3600,
            default_page_size: 100,
            latency_ms: 0,
            throttle: Throttle::default(),
            faults: Faults::default(),
            auto_approve: false,
            device_page: DevicePage::Device,
            portals: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct User {
    /// Becomes the session name of the assumed-role ARN.
    pub name: String,
    pub email: String,
}

impl Default for User {
    fn default() -> Self {
        User { name: "emulator-user".into(), email: "emulator-user@example.com".into() }
    }
}

/// `"accounts": 1000` or `"accounts": [{"id": "...", "name": "...", "roles": [...]}]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Accounts {
    Count(u32),
    List(Vec<AccountSpec>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountSpec {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub roles: Vec<String>,
}

/// Token buckets, one per operation group. `None` means unlimited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Throttle {
    /// ListAccounts + ListAccountRoles share this budget (requests per second).
    pub listing_rps: Option<f64>,
    /// GetRoleCredentials.
    pub credentials_rps: Option<f64>,
    /// Bucket size. Defaults to 1, so N calls need at least (N-1)/rps seconds: a client cannot
    /// beat the rate by bursting.
    pub burst: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Faults {
    /// Fraction (0..=1) of portal calls answered 500 InternalServerException.
    pub server_error_rate: f64,
    /// Fraction (0..=1) of portal calls delayed by `slowMs`.
    pub slow_rate: f64,
    pub slow_ms: u64,
    /// Seed of the fault dice, for repeatable runs.
    pub seed: u64,
    /// Accounts whose ListAccountRoles always answers 500 InternalServerException, so a listing
    /// ends with exactly these accounts failed (after the client's retries).
    pub failing_accounts: Vec<String>,
}

/// An account as the portal reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: String,
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
}

/// Names chosen to stress clients: Japanese, spaces, punctuation, INI-hostile characters.
const NAME_PATTERNS: &[&str] = &[
    "Prod 本番 (EU) #{}",
    "dev-{}",
    "検証環境 {}",
    "Shared Services, Inc. [{}]",
    "data=lake;{}",
    "ステージング-{}",
    "log-archive-{}",
    "Security & Audit / {}",
];

const ROLE_NAMES: &[&str] = &[
    "AdministratorAccess",
    "ReadOnlyAccess",
    "PowerUserAccess",
    "ViewOnlyAccess",
    "Billing",
    "DeveloperAccess",
    "SecurityAudit",
    "DatabaseAdministrator",
];

/// Why a configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Invalid(String),
}

/// Bounds that keep a typo (`"accounts": 1e9`) from eating the machine.
pub const MAX_ACCOUNTS: u32 = 100_000;
pub const MAX_ROLES_PER_ACCOUNT: u32 = 1_000;

impl Config {
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let config: Config = serde_json::from_str(text)?;
        config.validate()?;
        Ok(config)
    }

    /// Checks serde cannot express: sizes and fractions.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |m: &str| Err(ConfigError::Invalid(m.to_string()));
        for accounts in std::iter::once(&self.accounts).chain(self.portals.iter().map(|p| &p.accounts)) {
            if let Accounts::Count(n) = accounts {
                if n > &MAX_ACCOUNTS {
                    return bad("accounts: at most 100000 generated accounts");
                }
            }
        }
        if self.roles_per_account > MAX_ROLES_PER_ACCOUNT {
            return bad("rolesPerAccount: at most 1000");
        }
        for (name, rate) in
            [("faults.serverErrorRate", self.faults.server_error_rate), ("faults.slowRate", self.faults.slow_rate)]
        {
            if !(0.0..=1.0).contains(&rate) {
                return Err(ConfigError::Invalid(format!("{name} must be between 0 and 1")));
            }
        }
        if self.users.is_empty() {
            return bad("users: at least one user");
        }
        Ok(())
    }

    /// The accounts this configuration describes; deterministic for a given config.
    pub fn materialize_accounts(&self) -> Vec<Account> {
        self.accounts.materialize(self.roles_per_account)
    }

    /// Each extra portal's normalised start-URL path with its accounts.
    pub fn materialize_portals(&self) -> Vec<(String, Vec<Account>)> {
        self.portals
            .iter()
            .map(|p| (normalize_path(&p.start_url_path), p.accounts.materialize(self.roles_per_account)))
            .collect()
    }
}

/// The path of a start URL (or a bare path), without query, fragment or trailing `/`.
pub fn normalize_path(url_or_path: &str) -> String {
    let rest = match url_or_path.split_once("://") {
        Some((_, after)) => after.find('/').map_or("", |i| &after[i..]),
        None => url_or_path,
    };
    let path = rest.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/').to_string()
}

impl Accounts {
    fn materialize(&self, roles_per_account: u32) -> Vec<Account> {
        match self {
            Accounts::List(list) => list
                .iter()
                .map(|a| Account {
                    id: a.id.clone(),
                    name: a.name.clone().unwrap_or_else(|| format!("Account {}", a.id)),
                    email: a.email.clone().unwrap_or_else(|| format!("aws+{}@example.com", a.id)),
                    roles: a.roles.clone(),
                })
                .collect(),
            Accounts::Count(n) => (0..*n).map(|i| generated_account(i, roles_per_account)).collect(),
        }
    }
}

fn generated_account(i: u32, roles_per_account: u32) -> Account {
    // 12 digits, distinct, not sequential-looking; stays below 10^12 for any u32 index.
    let id = 100_000_000_000u64 + u64::from(i) * 104_729 + 3;
    let pattern = NAME_PATTERNS[i as usize % NAME_PATTERNS.len()];
    let name = pattern.replace("{}", &(i + 1).to_string());
    let roles = (0..roles_per_account as usize)
        .map(|r| match ROLE_NAMES.get(r) {
            Some(n) => (*n).to_string(),
            None => format!("CustomRole{}", r + 1),
        })
        .collect();
    Account { id: format!("{id:012}"), name, email: format!("aws+{}@example.com", i + 1), roles }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_json_is_the_default() {
        assert_eq!(Config::from_json("{}").unwrap(), Config::default());
    }

    #[test]
    fn accounts_accept_count_or_list() {
        let c = Config::from_json(r#"{"accounts": 7, "rolesPerAccount": 3}"#).unwrap();
        let a = c.materialize_accounts();
        assert_eq!(a.len(), 7);
        assert!(a.iter().all(|a| a.id.len() == 12 && a.roles.len() == 3));
        let c = Config::from_json(
            r#"{"accounts": [{"id": "111122223333", "name": "Prod 本番 ] = x", "roles": ["Admin"]}]}"#,
        )
        .unwrap();
        assert_eq!(c.materialize_accounts()[0].name, "Prod 本番 ] = x");
    }

    #[test]
    fn unknown_fields_and_absurd_values_are_rejected() {
        assert!(Config::from_json(r#"{"acounts": 3}"#).is_err());
        assert!(Config::from_json(r#"{"accounts": 1000000000}"#).is_err());
        assert!(Config::from_json(r#"{"faults": {"serverErrorRate": 2}}"#).is_err());
        assert!(Config::from_json(r#"{"users": []}"#).is_err());
    }

    #[test]
    fn extra_portals_by_start_url_path() {
        let c = Config::from_json(
            r#"{"portals": [{"startUrlPath": "/", "accounts": [{"id": "999988887777", "name": "prod"}]}],
                "faults": {"failingAccounts": ["111122223333"]}}"#,
        )
        .unwrap();
        let p = c.materialize_portals();
        assert_eq!(p[0].0, "");
        assert_eq!(p[0].1[0].name, "prod");
        assert_eq!(c.faults.failing_accounts, ["111122223333"]);
        assert_eq!(normalize_path("http://127.0.0.1:9/"), "");
        assert_eq!(normalize_path("http://127.0.0.1:9"), "");
        assert_eq!(normalize_path("http://127.0.0.1:9/start/#/x"), "/start");
        assert_eq!(normalize_path("/other/start/"), "/other/start");
        assert!(Config::from_json(r#"{"portals": [{"startUrlPath": "/"}]}"#).is_err());
    }

    #[test]
    fn generated_ids_are_unique_and_names_deterministic() {
        let c = Config { accounts: Accounts::Count(2000), ..Config::default() };
        let a = c.materialize_accounts();
        let ids: std::collections::BTreeSet<_> = a.iter().map(|a| a.id.clone()).collect();
        assert_eq!(ids.len(), 2000);
        assert_eq!(a, c.materialize_accounts());
        assert!(a.iter().any(|a| a.name.contains("本番")));
    }
}
