//! What the client kit and the server mode share: seeds and single draws, value strategies
//! compiled from the model's schemas, the media-type oracle, structural comparison, and the one
//! `curl` renderer. Nothing here knows either product.

pub mod compare;
pub mod curl;
pub mod oracle;
pub mod schema;
pub mod seed;

#[cfg(test)]
pub(crate) mod fixture {
    //! Small documents for the crate's tests.

    use junos_space_model::Api;
    use junos_space_model::api::SchemaId;

    /// A document of `schemas` only (YAML lines indented under `components/schemas`).
    pub(crate) fn api_with_schemas(schemas: &str) -> Api {
        Api::from_yaml_str(&format!(
            "openapi: 3.1.0\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        ))
        .expect("the test document reads")
    }

    /// The schema `name` of `api`.
    pub(crate) fn named(api: &Api, name: &str) -> SchemaId {
        api.schemas().named(name).expect("declared")
    }
}
