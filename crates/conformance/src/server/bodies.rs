//! The bodies a write's probes send: a value of the request schema drawn by the run's seed,
//! and one that no reading of the schema takes.

use junos_space_model::api::{Operation, Reading};
use junos_space_model::{Api, SpecError};
use serde_json::Value;

use crate::shared::{schema, seed};

/// The body every probe of `operation` sends: a value of the request schema drawn with a
/// seed of its own, so that each operation's body depends only on `seed`.
pub fn drawn(api: &Api, operation: &Operation, seed: u64) -> Result<Option<Vec<u8>>, SpecError> {
    let Some(request) = &operation.request else {
        return Ok(None);
    };
    let value = match request.content.schema {
        None => Value::Object(serde_json::Map::new()),
        Some(id) => {
            let strategy = schema::strategy(api, id)?;
            seed::draw(&strategy, seed::of(seed, &operation.id)).map_err(|why| {
                SpecError::at(
                    &request.content.pointer,
                    why,
                    "give the request schema satisfiable constraints",
                )
            })?
        }
    };
    Ok(Some(value.to_string().into_bytes()))
}

/// The body that violates `operation`'s request schema: a JSON string, which no object schema
/// takes in any form a real server reads; `None` where the schema takes it.
pub fn violating(api: &Api, operation: &Operation) -> Option<Vec<u8>> {
    let schema = operation.request.as_ref()?.content.schema?;
    let value = Value::String(format!("not a value of {}", operation.id));
    let refused = !api
        .validate(schema, &value, Reading::SERVER_FORMS)
        .is_empty();
    refused.then(|| value.to_string().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_draws_the_same_body_from_the_same_seed_and_has_one_to_refuse() {
        let api = Api::bundled().expect("the bundled spec reads");
        let deploy = api.operation("execDeploy").expect("listed");
        let body = drawn(api, deploy, 7).expect("drawn").expect("a body");
        assert_eq!(drawn(api, deploy, 7).expect("drawn"), Some(body.clone()));
        let value: Value = serde_json::from_slice(&body).expect("JSON");
        let schema = deploy.request.as_ref().and_then(|r| r.content.schema);
        let schema = schema.expect("a request schema");
        assert_eq!(api.validate(schema, &value, Reading::LITERAL), []);
        assert!(violating(api, deploy).is_some());
        let read = api.operation("listDevices").expect("listed");
        assert_eq!(drawn(api, read, 7).expect("nothing to draw"), None);
    }
}
