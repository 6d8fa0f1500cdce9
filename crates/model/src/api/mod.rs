//! The typed model of the API: the document read once into operations with typed statuses,
//! parsed media types, schemas in an arena and every relation the extensions write, each form
//! with its provenance. Every fault of the document is found here, named by JSON pointer.

mod collection;
mod emit;
pub mod error_page;
mod names;
mod operation;
mod provenance;
mod read;
mod relation;
mod render;
mod schema;
pub mod secrets;
mod sources;
mod unnamed;
mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

pub use collection::{COUNT_NAMES, Collection, Count, member_id};
pub use names::{Identified, Reference};
pub use operation::{
    AddsMembers, Content, HttpMethod, LockRole, Operation, Parameter, ParameterLocation,
    RemovesMembers, RequestBody, Response, SessionRole, Status,
};
pub use provenance::{Decision, Provenance};
pub use relation::Relation;
pub use render::{Forms, Strings};
pub use schema::{Additional, Format, Kind, Property, Schema, SchemaId, Schemas, Vocabulary};
pub use sources::ParameterSource;
pub use unnamed::Unnamed;
pub use validate::{Finding, Reading};

use crate::{BUNDLED_SPEC, SpecError};

/// What the document says of itself (`info`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Info {
    pub title: String,
    pub description: Option<String>,
    /// The version of the API the document describes (`24.1`).
    pub version: String,
}

/// The API as `spec/` describes it, read once.
#[derive(Debug, Clone)]
pub struct Api {
    document: Value,
    base_path: String,
    info: Info,
    operations: Vec<Operation>,
    schemas: Schemas,
    decisions: BTreeMap<Decision, String>,
}

impl Api {
    /// Reads and checks the YAML file at `path`.
    pub fn load(path: &Path) -> Result<Self, SpecError> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            SpecError::at(
                "",
                format!("cannot read {}: {error}", path.display()),
                "pass the path of an OpenAPI YAML file",
            )
        })?;
        Self::from_yaml_str(&text)
    }

    /// Reads and checks YAML text.
    pub fn from_yaml_str(text: &str) -> Result<Self, SpecError> {
        Self::from_value(crate::document::yaml_to_json_text(text)?)
    }

    /// Reads and checks a document that is already JSON.
    pub fn from_value(document: Value) -> Result<Self, SpecError> {
        read::read(document)
    }

    /// The document this crate carries ([`BUNDLED_SPEC`]), read once per process. Its faults
    /// are the workspace's own tests' to find; a program that meets one gets it as an error.
    pub fn bundled() -> Result<&'static Api, &'static SpecError> {
        static BUNDLED: OnceLock<Result<Api, SpecError>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| Api::from_yaml_str(BUNDLED_SPEC))
            .as_ref()
    }

    /// Every client method, in document order.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The client method `id` (an operationId or `x-operation-id`).
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.id == id)
    }

    /// Every cargo feature of the generated client: the services whose methods a build may
    /// leave out ([`Operation::feature`]), in order.
    pub fn features(&self) -> BTreeSet<&str> {
        self.operations
            .iter()
            .filter_map(Operation::feature)
            .collect()
    }

    /// The schema `id` names.
    pub fn schema(&self, id: SchemaId) -> &Schema {
        self.schemas.get(id)
    }

    /// Every schema of the document.
    pub fn schemas(&self) -> &Schemas {
        &self.schemas
    }

    /// The path the document's operations sit below: the path of the first `servers` URL
    /// (`https://{host}/api/space` → `/api/space`), without a trailing `/`; empty without one.
    /// An operation whose path item has its own server sits below that one's
    /// ([`Operation::base_path`]).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The schema at `pointer` (`/modify-rules/added-rules`) in values of `schema`: each
    /// token a property's name.
    pub fn schema_at(&self, schema: SchemaId, pointer: &str) -> Option<SchemaId> {
        pointer
            .split('/')
            .skip(1)
            .map(|token| token.replace("~1", "/").replace("~0", "~"))
            .try_fold(schema, |at, name| {
                self.schema(at).property(&name).map(|p| p.schema)
            })
    }

    /// A whole path (an `@href`: `/api/juniper/sd/address-management/addresses/5`) split
    /// after the base path of the operations that serve it, the longest that fits:
    /// (`/api/juniper`, `/sd/address-management/addresses/5`). `None` when no operation's
    /// base path starts it.
    pub fn split_base<'p>(&self, path: &'p str) -> Option<(&str, &'p str)> {
        self.operations
            .iter()
            .map(|operation| operation.base_path.as_str())
            .chain([self.base_path.as_str()])
            .filter_map(|base| {
                let below = path.strip_prefix(base)?;
                (below.is_empty() || below.starts_with('/')).then_some((base, below))
            })
            .max_by_key(|(base, _)| base.len())
    }

    /// `info`: the API's title, description and version.
    pub fn info(&self) -> &Info {
        &self.info
    }

    /// Every decision the document names (`x-decision`), with the first place it stands.
    pub fn decisions(&self) -> impl Iterator<Item = (&Decision, &str)> {
        self.decisions.iter().map(|(d, at)| (d, at.as_str()))
    }

    /// The document as JSON, for the two readers that need the text itself: the generator,
    /// which hands a document to progenitor, and the provenance diff against the seed.
    pub fn document(&self) -> &Value {
        &self.document
    }
}

#[cfg(test)]
mod tests;
