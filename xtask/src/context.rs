//! What every step reads and what it is: the typed model of the API with each operation
//! found by the id progenitor gives it, and the signature every step of `crate::steps` has.
//!
//! A leaf of the xtask: it names no step and no table, so the steps import it and the table
//! imports the steps, never the other way round.

use std::collections::BTreeMap;

use junos_space_model::api::{Api, Operation};

use crate::names::progenitor_snake_case;
use crate::progenitor_output::Generated;

/// A step: a change to the model of the generated client, reading the model of the API.
/// It returns how many places it changed, or why progenitor's output no longer has the shape
/// it changes.
pub type Rewrite = fn(&Context<'_>, &mut Generated) -> Result<usize, String>;

/// The model of the API as the steps read it.
pub struct Context<'a> {
    pub api: &'a Api,
    by_id: BTreeMap<String, &'a Operation>,
}

impl<'a> Context<'a> {
    /// The operations of `api`, each under progenitor's snake-case id (`list_devices`).
    pub fn new(api: &'a Api) -> Self {
        let by_id = api
            .operations()
            .iter()
            .map(|operation| (progenitor_snake_case(&operation.id), operation))
            .collect();
        Self { api, by_id }
    }

    /// The operation progenitor calls `id`; an id the spec does not have is progenitor's
    /// output and the spec disagreeing.
    pub fn operation(&self, id: &str) -> Result<&'a Operation, String> {
        self.by_id
            .get(id)
            .copied()
            .ok_or_else(|| format!("progenitor generated `{id}`, which the spec does not have"))
    }

    /// How many operations the spec has.
    pub fn operation_count(&self) -> usize {
        self.by_id.len()
    }
}
