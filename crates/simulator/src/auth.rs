//! Who is calling: HTTP Basic on any call, or the session cookie that
//! `POST /api/space/user-management/login` hands out.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::config::Credentials;

/// The user name in a valid `Authorization: Basic ...` value, if it is one. With
/// `any_password` (a deviation), a known user gets in whatever the password.
pub(crate) fn basic_user(
    header: Option<&str>,
    accounts: &[Credentials],
    any_password: bool,
) -> Option<String> {
    let (user, password) = basic_pair(header)?;
    accounts
        .iter()
        .any(|a| a.user == user && (any_password || a.password == password))
        .then_some(user)
}

/// The user and password of an `Authorization: Basic ...` value.
pub(crate) fn basic_pair(header: Option<&str>) -> Option<(String, String)> {
    let encoded = header?.trim().strip_prefix("Basic ")?.trim();
    let decoded = STANDARD.decode(encoded).ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// The session ids carried by a `Cookie` header (`JSESSIONIDSSO` first, then `JSESSIONID`).
pub(crate) fn session_ids(cookie: Option<&str>) -> Vec<&str> {
    let Some(cookie) = cookie else {
        return Vec::new();
    };
    let mut ids: Vec<(u8, &str)> = cookie
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .filter_map(|(name, value)| match name {
            "JSESSIONIDSSO" => Some((0, value)),
            "JSESSIONID" => Some((1, value)),
            _ => None,
        })
        .collect();
    ids.sort();
    ids.into_iter().map(|(_, id)| id).collect()
}

/// The folded `Set-Cookie` of a login: both cookies in one header, comma-separated, as a real
/// server sends them. No `Secure`: the simulator speaks plain HTTP.
pub(crate) fn session_set_cookie(sso: &str, session: &str) -> String {
    format!(
        "JSESSIONIDSSO={sso}; Path=/api/space/user-management; HttpOnly, \
         JSESSIONID={session}; Path=/api/space/user-management; HttpOnly"
    )
}

/// A `Set-Cookie` that expires both session cookies (logout).
pub(crate) fn expired_set_cookie() -> String {
    "JSESSIONIDSSO=; Path=/api/space/user-management; Max-Age=0, \
     JSESSIONID=; Path=/api/space/user-management; Max-Age=0"
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_checked() {
        let accounts = [Credentials::new("super", "pa:ss")];
        let header = |text: &str| format!("Basic {}", STANDARD.encode(text));
        assert_eq!(
            basic_user(Some(&header("super:pa:ss")), &accounts, false).as_deref(),
            Some("super")
        );
        for bad in [
            header("super:wrong"),
            header("nobody"),
            "Basic !!!".into(),
            "Bearer x".into(),
        ] {
            assert_eq!(basic_user(Some(&bad), &accounts, false), None, "{bad}");
        }
        assert_eq!(basic_user(None, &accounts, false), None);
        // The any-password deviation lets a known user in with any password, no one else.
        assert_eq!(
            basic_user(Some(&header("super:wrong")), &accounts, true).as_deref(),
            Some("super")
        );
        assert_eq!(
            basic_user(Some(&header("nobody:pa:ss")), &accounts, true),
            None
        );
    }

    #[test]
    fn session_ids_come_from_either_cookie() {
        assert_eq!(
            session_ids(Some("JSESSIONID=b.node1; other=x; JSESSIONIDSSO=a")),
            ["a", "b.node1"]
        );
        assert!(session_ids(Some("other=x")).is_empty());
    }
}
