//! What sessions need beyond the generated `login()` and `logout()`: whether this client holds
//! one, and whether the server still does.
//!
//! The session itself needs no code here: `client.login().send()` opens it and
//! `client.logout().send()` ends it, since the runtime keeps the cookies of the operation the
//! spec marks `x-session: opens` and forgets them after the one marked `ends`.

use std::future::Future;

use junos_space_api::{Client, ClientInfo as _};
use junos_space_runtime::Result;

/// Sessions on the generated [`Client`]: `use junos_space::prelude::*`.
pub trait SessionExt {
    /// Whether this client (and its clones, which share it) holds a session cookie: after a
    /// successful `login()`, until `logout()` or until the server refuses the cookie.
    fn has_session(&self) -> bool;

    /// Whether the server still holds this client's session open (the generated
    /// `getLoginStatus`): `false` once it has ended or expired, or when none was opened.
    fn session_is_open(&self) -> impl Future<Output = Result<bool>> + Send;
}

impl SessionExt for Client {
    fn has_session(&self) -> bool {
        self.inner().has_session()
    }

    async fn session_is_open(&self) -> Result<bool> {
        if !self.has_session() {
            return Ok(false);
        }
        // login-status answers 401 for a session that has ended: that is its answer.
        match self.get_login_status().send().await {
            Ok(_) => Ok(true),
            Err(error) if error.status() == Some(401) => Ok(false),
            Err(error) => Err(error),
        }
    }
}
