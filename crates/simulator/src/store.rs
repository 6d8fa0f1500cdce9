//! The members of each collection, by key: what the state is made of and jobs act on.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::Value;

/// First key of a store nobody seeded; real keys are six-to-eight digits.
pub(crate) const FIRST_KEY: u64 = 131_072;

/// Members of one collection by `@key`, in key order.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub members: BTreeMap<u64, Arc<Value>>,
    next_key: u64,
}

impl Store {
    /// Adds a member under a fresh key and returns the key.
    pub fn insert_new(&mut self, member: Value) -> u64 {
        let key = self.next_key;
        self.insert(key, member);
        key
    }

    pub fn insert(&mut self, key: u64, member: Value) {
        self.next_key = self.next_key.max(key + 1);
        self.members.insert(key, Arc::new(member));
    }
}

/// Every store, by name (a collection's envelope: `devices`, `jobs`).
#[derive(Debug, Default)]
pub(crate) struct Stores {
    by_name: HashMap<String, Store>,
}

impl Stores {
    /// The store `name`, if anything was ever put there.
    pub fn get(&self, name: &str) -> Option<&Store> {
        self.by_name.get(name)
    }

    /// The store `name`, created empty if absent.
    pub fn store(&mut self, name: &str) -> &mut Store {
        self.by_name
            .entry(name.to_owned())
            .or_insert_with(|| Store {
                members: BTreeMap::new(),
                next_key: FIRST_KEY,
            })
    }

    /// Member `key` of store `name`, if it exists.
    pub fn member(&self, name: &str, key: u64) -> Option<&Arc<Value>> {
        self.get(name)?.members.get(&key)
    }

    /// Removes every store whose name starts with `prefix`: the collections below a member
    /// that is gone (`/tag-management/tags/655361/`).
    pub fn remove_below(&mut self, prefix: &str) {
        self.by_name.retain(|name, _| !name.starts_with(prefix));
    }

    /// Removes member `key` of store `name`, at `path` below the base path
    /// (`/device-management/devices/131073`): the collections below it (a tag's targets) go
    /// with it, and so does every member elsewhere whose `@href` names it as the object it
    /// stands for (a tag's target, a package's associated device), as a server keeps no
    /// association with an object it no longer has.
    pub fn forget(&mut self, name: &str, key: u64, path: &str) {
        self.store(name).members.remove(&key);
        self.remove_below(&format!("{path}/"));
        let names_it = |member: &Arc<Value>| {
            member
                .get("@href")
                .and_then(Value::as_str)
                .is_some_and(|href| href.ends_with(path))
        };
        for store in self.by_name.values_mut() {
            store.members.retain(|_, member| !names_it(member));
        }
    }

    /// Takes store `name` out, if it exists.
    #[cfg(test)]
    pub fn remove(&mut self, name: &str) -> Option<Store> {
        self.by_name.remove(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_forgotten_member_takes_what_is_below_it_and_the_references_to_it() {
        let mut stores = Stores::default();
        stores
            .store("devices")
            .insert(131_073, json!({"name": "mx"}));
        stores
            .store("devices")
            .insert(131_074, json!({"name": "ex"}));
        let targets = "/tag-management/tags/655361/targets";
        let device =
            |key: u64| json!({"@href": format!("/api/space/device-management/devices/{key}")});
        stores.store(targets).insert(1, device(131_073));
        stores.store(targets).insert(2, device(131_074));
        stores.store(targets).insert(3, device(1_131_073));
        stores
            .store("/device-management/devices/131073/associated-softwares")
            .insert(1, json!({}));
        stores.forget("devices", 131_073, "/device-management/devices/131073");
        assert!(stores.member("devices", 131_073).is_none());
        assert!(stores.member("devices", 131_074).is_some());
        let left: Vec<u64> = stores
            .get(targets)
            .expect("kept")
            .members
            .keys()
            .copied()
            .collect();
        assert_eq!(
            left,
            [2, 3],
            "only the reference to the device forgotten goes"
        );
        assert!(
            stores
                .get("/device-management/devices/131073/associated-softwares")
                .is_none()
        );
    }
}
