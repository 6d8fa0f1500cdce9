//! The in-memory state: one store of members per collection, seeded from a fixture or
//! generated, the jobs that have not finished, the login sessions, and the HornetQ queues.

use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde_json::{Map, Value};

use crate::behaviour::Locks;
use crate::hornetq::Queues;
use crate::jobs::Jobs;
use crate::sessions::Sessions;
use crate::store::{FIRST_KEY, Stores};

/// The bundled seed data (`fixtures/default.json`).
pub(crate) const DEFAULT_FIXTURE: &str = include_str!("../fixtures/default.json");

/// Why seed data cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("fixture: {0}")]
pub struct FixtureError(pub String);

#[derive(Debug, Default)]
pub(crate) struct State {
    pub stores: Stores,
    pub jobs: Jobs,
    pub sessions: Sessions,
    /// The HornetQ queues that jobs send their progress to.
    pub queues: Queues,
    /// Security Director's locked members (`x-lock`).
    pub locks: Locks,
}

impl State {
    /// Reads a fixture: `{"devices": [{"@key": 131073, "name": ...}, ...], "jobs": [], ...}`.
    pub fn from_fixture(text: &str) -> Result<Self, FixtureError> {
        let document: Value =
            serde_json::from_str(text).map_err(|e| FixtureError(format!("not JSON: {e}")))?;
        let Value::Object(collections) = document else {
            return Err(FixtureError("expected an object of collections".into()));
        };
        let mut state = Self::default();
        for (name, members) in collections {
            let Value::Array(members) = members else {
                return Err(FixtureError(format!("`{name}` is not a list")));
            };
            let store = state.stores.store(&name);
            for (i, member) in members.into_iter().enumerate() {
                let Value::Object(mut fields) = member else {
                    return Err(FixtureError(format!("`{name}[{i}]` is not an object")));
                };
                match fields.remove("@key").as_ref().and_then(read_key) {
                    Some(key) => store.insert(key, Value::Object(fields)),
                    None => {
                        store.insert_new(Value::Object(fields));
                    }
                }
            }
        }
        Ok(state)
    }

    /// Replaces the devices with `count` generated ones, the same for the same `seed`.
    pub fn generate_devices(&mut self, count: usize, seed: u64) {
        let mut rng = fastrand::Rng::with_seed(seed);
        let store = self.stores.store("devices");
        store.members.clear();
        const MODELS: [(&str, &str, &str, &str); 6] = [
            ("mx", "MX240", "junos", "18.4R3-S4"),
            ("mx", "MX960", "junos", "21.4R3.15"),
            ("srx", "SRX340", "junos-es", "20.4R3-S2"),
            ("ex", "EX4300-48T", "junos-ex", "19.4R3-S9"),
            ("qfx", "QFX5120-48Y", "junos-qfx", "22.2R1.9"),
            ("acx", "ACX2100", "junos", "17.4R2-S11"),
        ];
        const MANAGED: [&str; 4] = ["In Sync", "Out Of Sync", "Space Changed", "Device Changed"];
        for i in 0..count {
            let (prefix, platform, family, os) = MODELS[rng.usize(..MODELS.len())];
            // Most devices are up and in sync, as on a healthy production server.
            let up = rng.u8(..100) < 95;
            let managed = if rng.u8(..100) < 85 {
                MANAGED[0]
            } else {
                MANAGED[rng.usize(1..MANAGED.len())]
            };
            let mut device = Map::new();
            device.insert("name".into(), format!("{prefix}-{i:06}").into());
            device.insert(
                "ipAddr".into(),
                // Counting from 10.0.0.1, so no device sits on a network address.
                format!(
                    "10.{}.{}.{}",
                    ((i + 1) >> 16) & 255,
                    ((i + 1) >> 8) & 255,
                    (i + 1) & 255
                )
                .into(),
            );
            device.insert("platform".into(), platform.into());
            device.insert("deviceFamily".into(), family.into());
            device.insert("OSVersion".into(), os.into());
            device.insert(
                "serialNumber".into(),
                format!("{}{:08X}", prefix.to_ascii_uppercase(), rng.u32(..)).into(),
            );
            device.insert(
                "connectionStatus".into(),
                if up { "up" } else { "down" }.into(),
            );
            device.insert("managedStatus".into(), managed.into());
            device.insert("domain-id".into(), 2.into());
            device.insert("domain-name".into(), "Global".into());
            let key = FIRST_KEY + i as u64;
            device.insert("device-id".into(), key.into());
            store.insert(key, Value::Object(device));
        }
    }
}

/// The state as every request shares it: many readers or one writer at a time.
#[derive(Debug)]
pub(crate) struct SharedState(RwLock<State>);

impl SharedState {
    pub fn new(state: State) -> Self {
        Self(RwLock::new(state))
    }

    // A request that panicked while holding the lock leaves the state as it was written so
    // far, which is still a state the simulator can serve.
    pub fn read(&self) -> RwLockReadGuard<'_, State> {
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A key written as a number or as a string of digits (`"@key": "32964647"`).
fn read_key(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::JOBS;

    #[test]
    fn the_bundled_fixture_seeds_every_kind() {
        let state = State::from_fixture(DEFAULT_FIXTURE).expect("bundled fixture reads");
        for name in [
            "devices",
            "cli-configlets",
            "scripts",
            "users",
            "packages",
            JOBS,
        ] {
            assert!(state.stores.get(name).is_some(), "{name}");
        }
        assert!(
            state
                .stores
                .get("devices")
                .is_some_and(|s| !s.members.is_empty())
        );
    }

    #[test]
    fn generation_is_deterministic_and_sized() {
        let generate = |seed| {
            let mut state = State::default();
            state.generate_devices(1000, seed);
            state.stores.remove("devices").expect("devices").members
        };
        let (a, b, c) = (generate(7), generate(7), generate(8));
        assert_eq!(a.len(), 1000);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn bad_fixtures_are_refused_with_a_reason() {
        for (text, says) in [
            ("[]", "object of collections"),
            (r#"{"devices": {}}"#, "not a list"),
            (r#"{"devices": [1]}"#, "not an object"),
            ("{", "not JSON"),
        ] {
            let error = State::from_fixture(text).expect_err(text);
            assert!(error.to_string().contains(says), "{text}: {error}");
        }
    }
}
