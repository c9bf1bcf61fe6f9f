//! The SSO portal API (rest-json, unsigned, bearer token in `x-amz-sso_bearer_token`):
//! ListAccounts, ListAccountRoles and Logout. Wire facts: reference/aws-sso-interop.md §3.

use serde::{Deserialize, Serialize};

use crate::endpoints::Endpoints;
use crate::error::Error;
use crate::http::{url_with_query, HttpRequest, Method, Platform};
use crate::secret::Secret;

/// The largest page the portal serves.
pub const MAX_PAGE_SIZE: u32 = 100;
const BEARER_HEADER: &str = "x-amz-sso_bearer_token";

/// One account as ListAccounts returns it; the name and email may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
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
    HttpRequest::get(url_with_query(&format!("{}/assignment/accounts", endpoints.portal), &params))
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
    HttpRequest::get(url_with_query(&format!("{}/assignment/roles", endpoints.portal), &params))
        .with_header(BEARER_HEADER, token.expose())
}

/// POST `/logout` with no body: ends the portal session behind `token` (as `aws sso logout`).
pub fn logout_request(endpoints: &Endpoints, token: &Secret) -> HttpRequest {
    HttpRequest { method: Method::Post, url: format!("{}/logout", endpoints.portal), headers: Vec::new(), body: None }
        .with_header(BEARER_HEADER, token.expose())
}

/// Signs the token out at the portal. A token the portal no longer knows (401) counts as signed
/// out: that is the state the person asked for.
pub async fn logout<P: Platform>(platform: &P, endpoints: &Endpoints, token: &Secret) -> Result<(), Error> {
    let response = platform.send(logout_request(endpoints, token)).await.map_err(|e| Error::Network(e.0))?;
    match response.status {
        200..=299 | 401 => Ok(()),
        _ => Err(Error::from_response(&response)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_match_botocore() {
        let e = Endpoints::for_region("us-east-1").unwrap();
        let t = Secret::new("tok");
        let r = list_accounts_request(&e, &t, 100, None);
        assert_eq!(r.url, "https://portal.sso.us-east-1.amazonaws.com/assignment/accounts?max_result=100");
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

    #[test]
    fn logout_posts_the_token_and_treats_an_unknown_token_as_signed_out() {
        use crate::fake_platform::{aws_error, block_on, ok, FakePlatform};
        let e = Endpoints::custom("http://127.0.0.1:9", "http://127.0.0.1:9").unwrap();
        let p = FakePlatform::scripted(vec![
            ok(serde_json::json!({})),
            aws_error(
                401,
                "UnauthorizedException",
                serde_json::json!({"message": "Session token not found or invalid"}),
            ),
            aws_error(500, "InternalServerException", serde_json::json!({"message": "boom"})),
        ]);
        let t = Secret::new("tok");
        assert_eq!(block_on(logout(&p, &e, &t)), Ok(()));
        assert_eq!(block_on(logout(&p, &e, &t)), Ok(()));
        assert_eq!(block_on(logout(&p, &e, &t)).unwrap_err().code(), "server_error");
        let r = &p.requests.borrow()[0];
        assert_eq!((r.method, r.url.as_str(), r.body.as_deref()), (Method::Post, "http://127.0.0.1:9/logout", None));
        assert_eq!(r.header("x-amz-sso_bearer_token"), Some("tok"));
    }
}
