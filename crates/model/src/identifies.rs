//! The relations `x-identifies` writes into schemas: a value (a task) that names a member
//! another operation reads (its job), found by walking an answer with its schema.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::validate::member_schema;
use crate::{Spec, SpecError, X_IDENTIFIES, pointer};

/// A member an answer names: the operation that reads it, and its path parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Identified {
    /// `getJob`.
    pub operation_id: String,
    /// `job_id` → `3997704`, as the answer writes it.
    pub parameters: BTreeMap<String, Value>,
    /// The value that names it (the task), for what else it says (its `@href`).
    pub value: Value,
}

impl Spec {
    /// Every member `value` (valid for `schema`) names through `x-identifies`, outermost
    /// first. A value without a parameter the extension points at names nothing; an extension
    /// that is not `{operationId, parameters: {name: pointer}}` is an error at its pointer.
    pub fn identified(&self, schema: &Value, value: &Value) -> Result<Vec<Identified>, SpecError> {
        let mut found = Vec::new();
        self.walk_identified(schema, value, 0, &mut found)?;
        Ok(found)
    }

    /// The operationIds whose members a value of `schema` may name through `x-identifies`
    /// (a task answer: `getJob`), found from the schema alone, without a value; each once, in
    /// the order met. What a write can start is read here before it is sent.
    pub fn identifiable(&self, schema: &Value) -> Vec<String> {
        let mut found = Vec::new();
        self.walk_identifiable(schema, 0, &mut found);
        found
    }

    fn walk_identifiable(&self, schema: &Value, depth: usize, found: &mut Vec<String>) {
        // Deep enough for any answer of the spec; a recursive schema stops here.
        if depth > 32 {
            return;
        }
        let Ok((schema, _)) = self.follow_refs(schema, "") else {
            return;
        };
        if let Some(id) = schema
            .get(X_IDENTIFIES)
            .and_then(|relation| relation.get("operationId"))
            .and_then(Value::as_str)
            && !found.iter().any(|known| known == id)
        {
            found.push(id.to_owned());
        }
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|properties| properties.values());
        let nested = ["items", "additionalProperties"]
            .into_iter()
            .filter_map(|key| schema.get(key).filter(|s| s.is_object()));
        for member in properties.chain(nested) {
            self.walk_identifiable(member, depth + 1, found);
        }
    }

    fn walk_identified(
        &self,
        schema: &Value,
        value: &Value,
        depth: usize,
        found: &mut Vec<Identified>,
    ) -> Result<(), SpecError> {
        if depth > 32 {
            return Ok(());
        }
        let (schema, at) = self.follow_refs(schema, "")?;
        if let Some(relation) = schema.get(X_IDENTIFIES) {
            let at = pointer::join(&at, X_IDENTIFIES);
            let bad = |why: &str| {
                SpecError::at(
                    &at,
                    format!("{X_IDENTIFIES} {why}"),
                    "write {operationId: ID, parameters: {NAME: /json/pointer}}",
                )
            };
            let operation_id = relation
                .get("operationId")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("names no operationId"))?;
            let pointers = relation
                .get("parameters")
                .and_then(Value::as_object)
                .ok_or_else(|| bad("has no parameters"))?;
            let mut parameters = BTreeMap::new();
            for (name, pointer) in pointers {
                let pointer = pointer
                    .as_str()
                    .ok_or_else(|| bad("has a parameter that is not a JSON pointer"))?;
                if let Some(found) = value.pointer(pointer) {
                    parameters.insert(name.clone(), found.clone());
                }
            }
            if parameters.len() == pointers.len() {
                found.push(Identified {
                    operation_id: operation_id.to_owned(),
                    parameters,
                    value: value.clone(),
                });
            }
        }
        match value {
            Value::Object(members) => {
                for (name, member) in members {
                    if let Some(member_schema) = member_schema(schema, name) {
                        self.walk_identified(member_schema, member, depth + 1, found)?;
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for item in items {
                        self.walk_identified(item_schema, item, depth + 1, found)?;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::Spec;

    #[test]
    fn a_task_inside_an_answer_names_its_job() {
        let spec = Spec::from_value(json!({"components": {"schemas": {
            "Task": {"type": "object", "x-identifies": {"operationId": "getJob",
                "parameters": {"job_id": "/id"}},
                "properties": {"id": {"type": "integer"}}},
            "TaskResponse": {"type": "object",
                "properties": {"task": {"$ref": "#/components/schemas/Task"}}}}}}));
        let schema = json!({"$ref": "#/components/schemas/TaskResponse"});
        let answer = json!({"task": {"@href": "/api/space/job-management/jobs/7", "id": 7}});
        let found = spec.identified(&schema, &answer).expect("a valid relation");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].operation_id, "getJob");
        assert_eq!(found[0].parameters["job_id"], json!(7));
        assert_eq!(found[0].value["@href"], "/api/space/job-management/jobs/7");
        assert_eq!(spec.identifiable(&schema), ["getJob"]);
        // A task without its id names nothing.
        let none = spec
            .identified(&schema, &json!({"task": {}}))
            .expect("valid");
        assert!(none.is_empty());
    }

    #[test]
    fn a_malformed_relation_is_named_by_its_pointer() {
        let spec = Spec::from_value(json!({"components": {"schemas": {
            "Task": {"type": "object", "x-identifies": {"parameters": {}}}}}}));
        let error = spec
            .identified(&json!({"$ref": "#/components/schemas/Task"}), &json!({}))
            .expect_err("no operationId");
        assert_eq!(error.pointer, "/components/schemas/Task/x-identifies");
    }
}
