//! Stage 2, credentials: who is calling, by HTTP Basic on any call or by the session cookie
//! that login hands out; a plain 401 (with `WWW-Authenticate`) otherwise. The container
//! checks credentials before the application looks at media types, so this stage comes
//! before negotiation.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use junos_space_model::api::SessionRole;

use crate::outcome::Refusal;
use crate::state::SharedState;

/// A user name and password the simulator accepts.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl Credentials {
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            user: user.into(),
            password: password.into(),
        }
    }
}

impl Default for Credentials {
    /// `super` / `juniper123`, the factory account of a Junos Space appliance.
    fn default() -> Self {
        Self::new("super", "juniper123")
    }
}

impl fmt::Debug for Credentials {
    // The password stays out of logs and test output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// How this stage decides; deviations replace a rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    /// Whether `password` opens `account`.
    pub opens: fn(account: &Credentials, password: &str) -> bool,
    /// The words of a 401: why it is refused, given the `Authorization` header sent.
    pub refusal: fn(why: &'static str, authorization: Option<&str>) -> String,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            opens: own_password,
            refusal: says_why,
        }
    }
}

fn own_password(account: &Credentials, password: &str) -> bool {
    account.password == password
}

fn says_why(why: &'static str, _authorization: Option<&str>) -> String {
    why.to_owned()
}

/// The any-password deviation: a known user gets in whatever the password.
pub(crate) fn any_password(_account: &Credentials, _password: &str) -> bool {
    true
}

/// The echo-password deviation: a 401 names the user and password it was sent.
pub(crate) fn echoes_password(why: &'static str, authorization: Option<&str>) -> String {
    match basic_pair(authorization) {
        Some((user, password)) => format!("Wrong password `{password}` for user `{user}`"),
        None => why.to_owned(),
    }
}

impl Rules {
    /// The user a request acts for: its Basic credentials, or the session its `cookie` names.
    /// Login (`role` opens a session) takes credentials only: it opens a session, it is not
    /// part of one.
    pub fn admit(
        &self,
        accounts: &[Credentials],
        authorization: Option<&str>,
        cookie: Option<&str>,
        role: Option<SessionRole>,
        state: &SharedState,
    ) -> Result<String, Refusal> {
        if let Some((user, password)) = basic_pair(authorization)
            && accounts
                .iter()
                .any(|account| account.user == user && (self.opens)(account, &password))
        {
            return Ok(user);
        }
        if role != Some(SessionRole::Opens)
            && let Some(user) = state.read().sessions.user(cookie)
        {
            return Ok(user.to_owned());
        }
        let why = match role {
            Some(_) => "User is not logged in",
            None => "User not authenticated",
        };
        let refusal = Refusal::message(401, (self.refusal)(why, authorization));
        Err(refusal.with_header("www-authenticate", "Basic realm=\"Junos Space\"".to_owned()))
    }
}

/// The user and password of an `Authorization: Basic ...` value.
fn basic_pair(header: Option<&str>) -> Option<(String, String)> {
    let encoded = header?.trim().strip_prefix("Basic ")?.trim();
    let decoded = STANDARD.decode(encoded).ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::State;

    fn admit(rules: Rules, header: Option<&str>) -> Result<String, Refusal> {
        let accounts = [Credentials::new("super", "pa:ss")];
        let state = SharedState::new(State::default());
        rules.admit(&accounts, header, None, None, &state)
    }

    fn basic(text: &str) -> String {
        format!("Basic {}", STANDARD.encode(text))
    }

    #[test]
    fn basic_credentials_are_checked() {
        let faithful = Rules::default();
        assert_eq!(
            admit(faithful, Some(&basic("super:pa:ss"))).ok().as_deref(),
            Some("super")
        );
        for bad in [
            basic("super:wrong"),
            basic("nobody"),
            "Basic !!!".into(),
            "Bearer x".into(),
        ] {
            let refusal = admit(faithful, Some(&bad)).expect_err(&bad);
            assert_eq!(refusal.status, 401, "{bad}");
        }
        assert!(admit(faithful, None).is_err());
    }

    #[test]
    fn the_password_rules_are_the_deviations_seams() {
        let any = Rules {
            opens: any_password,
            ..Rules::default()
        };
        assert_eq!(
            admit(any, Some(&basic("super:wrong"))).ok().as_deref(),
            Some("super")
        );
        assert!(admit(any, Some(&basic("nobody:pa:ss"))).is_err());
        let echo = Rules {
            refusal: echoes_password,
            ..Rules::default()
        };
        let said = |rules, header: &str| match admit(rules, Some(header)) {
            Err(Refusal {
                reason: crate::outcome::Reason::Message(message),
                ..
            }) => message,
            other => panic!("{other:?}"),
        };
        assert!(said(echo, &basic("super:wrong")).contains("`wrong`"));
        assert_eq!(
            said(Rules::default(), &basic("super:wrong")),
            "User not authenticated"
        );
    }
}
