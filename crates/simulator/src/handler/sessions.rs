//! Login, logout and login-status (`x-session`): the sessions the simulator keeps, once a
//! request is authenticated.

use std::sync::PoisonError;

use junos_space_model::SessionRole;

use super::{Answer, Call, Shared};
use crate::auth;

impl Shared {
    /// Login, logout and login-status, once the request is authenticated.
    pub(super) fn session(&self, call: &Call<'_>, role: SessionRole) -> Result<Answer, Answer> {
        let variant = call.variant;
        match role {
            SessionRole::Opens => {
                let (sso, session) = {
                    let mut dice = self.dice.lock().unwrap_or_else(PoisonError::into_inner);
                    (
                        format!("{:032X}", dice.u128(..)),
                        format!("{:024x}.node1", dice.u128(..) >> 32),
                    )
                };
                let mut state = self.write();
                state.sessions.insert(sso.clone(), call.user.clone());
                state.sessions.insert(session.clone(), call.user.clone());
                Ok(self
                    .text_success(call, "User logged in")
                    .with_header("set-cookie", auth::session_set_cookie(&sso, &session)))
            }
            SessionRole::Ends => {
                // Logout finds the session by its cookies; Basic credentials name none.
                if self.session_user(call.cookie).is_none() {
                    return Err(self.error(variant, 401, "No session to log out of"));
                }
                let mut state = self.write();
                for id in auth::session_ids(call.cookie) {
                    state.sessions.remove(id);
                }
                Ok(self
                    .text_success(call, "User logged out")
                    .with_header("set-cookie", auth::expired_set_cookie()))
            }
            SessionRole::Reports => Ok(self.text_success(call, "User is logged in")),
        }
    }
}
