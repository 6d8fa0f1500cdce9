//! Login, logout and login-status (`x-session`): the sessions the simulator keeps, once a
//! request is authenticated.

use std::sync::PoisonError;

use super::{Call, World};
use crate::outcome::{Outcome, Refusal};
use crate::routes::SessionCall;
use crate::sessions;

impl World<'_> {
    /// Login, logout and login-status, once the request is authenticated.
    pub(super) fn session(&self, call: &Call<'_>, role: SessionCall) -> Result<Outcome, Refusal> {
        let said = |text, cookie| Outcome::Said {
            text,
            headers: vec![("set-cookie", cookie)],
        };
        match role {
            SessionCall::Login => {
                let (sso, session) = {
                    let mut dice = self.dice.lock().unwrap_or_else(PoisonError::into_inner);
                    (
                        format!("{:032X}", dice.u128(..)),
                        format!("{:024x}.node1", dice.u128(..) >> 32),
                    )
                };
                self.state.write().sessions.open(&sso, &session, &call.user);
                Ok(said("User logged in", sessions::set_cookie(&sso, &session)))
            }
            SessionCall::Logout => {
                // Logout finds the session by its cookies; Basic credentials name none.
                let mut state = self.state.write();
                if state.sessions.user(call.cookie).is_none() {
                    return Err(Refusal::message(401, "No session to log out of"));
                }
                (self.rules.end_session)(&mut state.sessions, call.cookie);
                Ok(said("User logged out", sessions::expired_cookie()))
            }
            SessionCall::Status => Ok(Outcome::Said {
                text: "User is logged in",
                headers: Vec::new(),
            }),
        }
    }
}
