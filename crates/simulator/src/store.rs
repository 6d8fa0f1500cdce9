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

    /// Takes store `name` out, if it exists.
    #[cfg(test)]
    pub fn remove(&mut self, name: &str) -> Option<Store> {
        self.by_name.remove(name)
    }
}
