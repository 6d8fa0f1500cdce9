//! Credentials whose password never shows in `Debug`, `Display`, logs or errors.

use std::fmt;

/// A password. `Debug` and `Display` print `***`; only [`Password::expose`] gives the text.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Wraps `text`.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The password itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Password {
    fn from(text: String) -> Self {
        Self(text)
    }
}

impl From<&str> for Password {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

/// A user name and its [`Password`], sent as HTTP Basic credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    user: String,
    password: Password,
    /// The `Authorization` value, encoded once: every request sends it.
    basic: Option<reqwest::header::HeaderValue>,
}

impl Credentials {
    /// Credentials of `user`.
    pub fn new(user: impl Into<String>, password: impl Into<Password>) -> Self {
        let (user, password) = (user.into(), password.into());
        let basic = basic_header(&user, &password);
        Self {
            user,
            password,
            basic,
        }
    }

    /// The user name.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The password.
    pub fn password(&self) -> &Password {
        &self.password
    }

    /// `Basic base64(user:password)`, marked sensitive so that reqwest and hyper keep it out
    /// of their own `Debug` output; `None` when the pair cannot be a header value.
    pub fn basic_header(&self) -> Option<&reqwest::header::HeaderValue> {
        self.basic.as_ref()
    }
}

fn basic_header(user: &str, password: &Password) -> Option<reqwest::header::HeaderValue> {
    use base64::Engine as _;
    let pair = format!("{user}:{}", password.expose());
    let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
    let mut value = reqwest::header::HeaderValue::try_from(format!("Basic {encoded}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &self.password)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_prints() {
        let credentials = Credentials::new("super", "s3cr3t-Pa55");
        for shown in [
            format!("{credentials:?}"),
            format!("{:?}", credentials.password()),
            credentials.password().to_string(),
            format!("{:?}", credentials.basic_header()),
        ] {
            assert!(!shown.contains("s3cr3t-Pa55"), "{shown}");
        }
        assert_eq!(credentials.password().expose(), "s3cr3t-Pa55");
        assert_eq!(credentials.user(), "super");
    }

    #[test]
    fn basic_header_is_rfc_7617() {
        let credentials = Credentials::new("Aladdin", "open sesame");
        let header = credentials
            .basic_header()
            .expect("ASCII credentials make a header");
        assert!(header.is_sensitive());
        assert_eq!(
            header.to_str().expect("ASCII"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }
}
