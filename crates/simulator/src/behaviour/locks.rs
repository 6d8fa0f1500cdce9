//! Security Director's locks (`x-lock`): the member a lock call's path names is held by the
//! caller's session (by the user, for a call without one), and refuses every change another
//! caller makes to it, through its path or through a body that names it (`x-identifies`),
//! until its holder unlocks it. A lock a caller already holds is taken again; another's is
//! refused.

use std::collections::HashMap;

use junos_space_model::api::{HttpMethod, LockRole};

use super::{Call, World};
use crate::outcome::Refusal;
use crate::routes::fill;

/// The refusal of a change to a member another caller holds locked. No source gives its
/// status: 409 is spec/README.md's decision `sd-lock-refusal`.
const LOCKED: u16 = 409;

/// Locked members, by store and key, to their holder.
#[derive(Debug, Default)]
pub(crate) struct Locks {
    held: HashMap<(String, u64), String>,
}

impl World<'_> {
    /// Takes or gives up the lock a lock call names, and refuses a change to a member that
    /// another caller holds locked.
    pub(super) fn mind_locks(&self, call: &Call<'_>) -> Result<(), Refusal> {
        let holder = self.holder(call);
        let named = self.members_named(call);
        let mut state = self.state.write();
        if let Some(role) = call.operation.lock {
            // The member is the one the path's last parameter names: the route's own.
            // A member that does not exist is the route's to refuse (404), not a lock's.
            let Some(member) = named
                .last()
                .filter(|(store, key)| state.stores.member(store, *key).is_some())
                .cloned()
            else {
                return Ok(());
            };
            let locks = &mut state.locks;
            match (role, locks.held.get(&member)) {
                (_, Some(other)) if *other != holder => {
                    return Err(refused(&member));
                }
                (LockRole::Acquires, _) => {
                    locks.held.insert(member, holder);
                }
                (LockRole::Releases, _) => {
                    locks.held.remove(&member);
                }
            }
            return Ok(());
        }
        if call.operation.method == HttpMethod::Get {
            return Ok(());
        }
        let locks = &state.locks;
        match named
            .iter()
            .find(|member| locks.held.get(*member).is_some_and(|h| *h != holder))
        {
            Some(member) => Err(refused(member)),
            None => Ok(()),
        }
    }

    /// Who a call acts for: the open session its cookie names, else its user.
    fn holder(&self, call: &Call<'_>) -> String {
        let state = self.state.read();
        match state.sessions.id(call.cookie) {
            Some(session) => format!("session {session}"),
            None => format!("user {}", call.user),
        }
    }

    /// The members a call names: those its path names, outermost first, then those its
    /// body names through `x-identifies`.
    fn members_named(&self, call: &Call<'_>) -> Vec<(String, u64)> {
        let route = call.route;
        let key_of = |name: &str| {
            call.parameters
                .iter()
                .find(|(parameter, _)| *parameter == name)
                .and_then(|(_, value)| value.parse::<u64>().ok())
        };
        let mut named: Vec<(String, u64)> = route
            .parents
            .iter()
            .filter_map(|parent| {
                Some((
                    fill(&parent.store, &call.parameters),
                    key_of(&parent.parameter)?,
                ))
            })
            .collect();
        if let Some(key) = route.member_parameter().and_then(key_of) {
            named.push((fill(&route.store, &call.parameters), key));
        }
        let body_schema = call
            .operation
            .request
            .as_ref()
            .and_then(|b| b.content.schema);
        if let (Some(schema), Some(body)) = (body_schema, &call.body) {
            for identified in self.api.identified(schema, body) {
                let Some(reader) = self.routes.routes.iter().find(|r| {
                    r.method == HttpMethod::Get
                        && r.operations.iter().any(|o| o.id == identified.operation_id)
                }) else {
                    continue;
                };
                let Some(name) = reader.member_parameter() else {
                    continue;
                };
                let values: Vec<(String, String)> = identified
                    .parameters
                    .iter()
                    .map(|(name, value)| {
                        let text = value
                            .as_str()
                            .map_or_else(|| value.to_string(), str::to_owned);
                        (name.clone(), text)
                    })
                    .collect();
                let pairs: Vec<(&str, &str)> = values
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                let key = pairs
                    .iter()
                    .find(|(parameter, _)| *parameter == name)
                    .and_then(|(_, value)| value.parse::<u64>().ok());
                if let Some(key) = key {
                    named.push((fill(&reader.store, &pairs), key));
                }
            }
        }
        named
    }
}

fn refused((store, key): &(String, u64)) -> Refusal {
    Refusal::message(
        LOCKED,
        format!("{store} {key} is locked by another session: POLICY_EDIT_LOCK_NOT_AVAILABLE"),
    )
}
