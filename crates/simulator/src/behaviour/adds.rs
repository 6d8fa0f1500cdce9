//! `x-adds-members`: each item of a list in a request body joins the collection its own
//! fields name, in the order the body lists them (Security Director's modify-rules adds each
//! rule to its rule group, and the group lists its rules in that order); and
//! `x-removes-members`: the members whose ids a body lists leave a collection (SD's bulk
//! deletes).

use serde_json::Value;

use junos_space_model::api::HttpMethod;

use super::{Call, World, singular};
use crate::outcome::Refusal;
use crate::routes::{Behaviour, fill};

/// A member to add: its store, and its fields as the collection lists them.
pub(super) struct Addition {
    store: String,
    fields: Value,
}

impl World<'_> {
    /// The members the call's body adds, each with the store it joins; checked before the
    /// call acts, so that an item naming a member that does not exist (its rule group)
    /// refuses the call (404) and adds nothing.
    pub(super) fn members_to_add(&self, call: &Call<'_>) -> Result<Vec<Addition>, Refusal> {
        let (Some(adds), Some(body)) = (&call.operation.adds_members, &call.body) else {
            return Ok(Vec::new());
        };
        let Some((route, listing)) = self.routes.routes.iter().find_map(|route| {
            let Behaviour::List(listing) = &route.behaviour else {
                return None;
            };
            (route.method == HttpMethod::Get && route.operations.iter().any(|o| o.id == adds.to))
                .then_some((route, listing))
        }) else {
            return Ok(Vec::new());
        };
        let items = match body.pointer(&adds.items) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(Value::Null) | None => Vec::new(),
            Some(one) => vec![one],
        };
        let mut additions = Vec::with_capacity(items.len());
        for item in items {
            let values: Vec<(String, String)> = adds
                .parameters
                .iter()
                .filter_map(|(name, place)| {
                    let value = item.pointer(place)?;
                    let text = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_owned);
                    Some((name.clone(), text))
                })
                .collect();
            let pairs: Vec<(&str, &str)> = values
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            for parent in &route.parents {
                let id = pairs
                    .iter()
                    .find(|(name, _)| *name == parent.parameter)
                    .map_or("", |(_, value)| *value);
                let store = fill(&parent.store, &pairs);
                let exists = id
                    .parse::<u64>()
                    .ok()
                    .and_then(|key| self.member(&store, key))
                    .is_some();
                if !exists {
                    return Err(Refusal::not_found(&format!("{} {id}", singular(&store))));
                }
            }
            let fields = self.kept_fields(Some(listing.collection.item), item);
            additions.push(Addition {
                store: fill(&listing.store, &pairs),
                fields: Value::Object(fields),
            });
        }
        Ok(additions)
    }

    /// The store and keys of the members the call's body removes (`x-removes-members`); an
    /// id no member has is passed over, as no source shows what a server does with one.
    pub(super) fn members_to_remove(&self, call: &Call<'_>) -> Option<(String, Vec<u64>)> {
        let (removes, body) = (
            call.operation.removes_members.as_ref()?,
            call.body.as_ref()?,
        );
        let store = self.routes.routes.iter().find_map(|route| {
            let Behaviour::List(listing) = &route.behaviour else {
                return None;
            };
            route
                .operations
                .iter()
                .any(|o| o.id == removes.from)
                .then(|| listing.store.clone())
        })?;
        let keys = match body.pointer(&removes.items) {
            Some(Value::Array(ids)) => ids.iter().collect(),
            Some(Value::Null) | None => Vec::new(),
            Some(one) => vec![one],
        }
        .into_iter()
        .filter_map(|id| match id {
            Value::Number(number) => number.as_u64(),
            Value::String(text) => text.parse().ok(),
            _ => None,
        })
        .collect();
        Some((store, keys))
    }

    /// Removes the members of `removals` from their store.
    pub(super) fn remove_members(&self, removals: Option<(String, Vec<u64>)>) {
        let Some((store, keys)) = removals else {
            return;
        };
        let mut state = self.state.write();
        let members = &mut state.stores.store(&store).members;
        for key in keys {
            members.remove(&key);
        }
    }

    /// Adds `additions`, each under a fresh key of its store, in order.
    pub(super) fn add_members(&self, additions: Vec<Addition>) {
        if additions.is_empty() {
            return;
        }
        let mut state = self.state.write();
        for Addition { store, fields } in additions {
            state.stores.store(&store).insert_new(fields);
        }
    }
}
