//! The SSO portal API (rest-json, unsigned, bearer token in `x-amz-sso_bearer_token`):
//! ListAccounts and ListAccountRoles. Wire facts: reference/aws-sso-interop.md §3.

use serde::{Deserialize, Serialize};

use crate::endpoints::Endpoints;
use crate::http::{url_with_query, HttpRequest};
use crate::secret::Secret;

/// The largest page the portal serves.
pub const MAX_PAGE_SIZE: u32 = 100;
const BEARER_HEADER: &str = "x-amz-sso_bearer_token";

/// One account as ListAccounts returns it; the name and email may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub account_id: String,
    #[serde(default)]
    pub account_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountPage {
    #[serde(default)]
    pub account_list: Vec<Account>,
    #[serde(default)]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleInfo {
    pub role_name: String,
    #[serde(default)]
    pub account_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolePage {
    #[serde(default)]
    pub role_list: Vec<RoleInfo>,
    #[serde(default)]
    pub next_token: Option<String>,
}

/// GET `/assignment/accounts?max_result=N[&next_token=T]`.
pub fn list_accounts_request(
    endpoints: &Endpoints,
    token: &Secret,
    page_size: u32,
    next_token: Option<&str>,
) -> HttpRequest {
    let size = page_size.clamp(1, MAX_PAGE_SIZE).to_string();
    let mut params = vec![("max_result", size.as_str())];
    if let Some(t) = next_token {
        params.push(("next_token", t));
    }
    HttpRequest::get(url_with_query(
        &format!("{}/assignment/accounts", endpoints.portal),
        &params,
    ))
    .with_header(BEARER_HEADER, token.expose())
}

/// GET `/assignment/roles?account_id=A&max_result=N[&next_token=T]`.
pub fn list_account_roles_request(
    endpoints: &Endpoints,
    token: &Secret,
    account_id: &str,
    page_size: u32,
    next_token: Option<&str>,
) -> HttpRequest {
    let size = page_size.clamp(1, MAX_PAGE_SIZE).to_string();
    let mut params = vec![("account_id", account_id), ("max_result", size.as_str())];
    if let Some(t) = next_token {
        params.push(("next_token", t));
    }
    HttpRequest::get(url_with_query(
        &format!("{}/assignment/roles", endpoints.portal),
        &params,
    ))
    .with_header(BEARER_HEADER, token.expose())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_match_botocore() {
        let e = Endpoints::for_region("us-east-1").unwrap();
        let t = Secret::new("tok");
        let r = list_accounts_request(&e, &t, 100, None);
        assert_eq!(
            r.url,
            "https://portal.sso.us-east-1.amazonaws.com/assignment/accounts?max_result=100"
        );
        assert_eq!(r.header("x-amz-sso_bearer_token"), Some("tok"));
        assert!(r.header("authorization").is_none());
        let r = list_account_roles_request(&e, &t, "111122223333", 500, Some("a+b/c="));
        assert_eq!(
            r.url,
            "https://portal.sso.us-east-1.amazonaws.com/assignment/roles?account_id=111122223333&max_result=100&next_token=a%2Bb%2Fc%3D"
        );
    }

    #[test]
    fn pages_decode_with_missing_fields() {
        let p: AccountPage = serde_json::from_str(
            r#"{"accountList":[{"accountId":"1"},{"accountId":"2","accountName":"b","emailAddress":"e"}]}"#,
        )
        .unwrap();
        assert_eq!(p.account_list[0].account_name, None);
        assert_eq!(p.next_token, None);
        let r: RolePage =
            serde_json::from_str(r#"{"roleList":[{"roleName":"Admin","accountId":"1"}],"nextToken":"x"}"#).unwrap();
        assert_eq!(r.role_list[0].role_name, "Admin");
    }
}
