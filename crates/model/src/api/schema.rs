//! The document's schemas, read once into an arena: every `$ref` resolved to the schema it
//! names, every keyword checked against the subset the workspace's consumers (the generator,
//! the validator, the value strategies of the kit, the simulator) all understand.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use super::provenance::{Decision, DecisionsNamed, Provenance};
use super::relation::Relation;
use crate::{OPEN_VOCABULARIES, SpecError, X_DECISION, X_IDENTIFIES, X_VOCABULARY, pointer};

/// A schema's place in [`Schemas`]: the same id wherever the schema is `$ref`'d.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchemaId(u32);

/// The JSON type a schema gives its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Self::Object,
        Self::Array,
        Self::String,
        Self::Integer,
        Self::Number,
        Self::Boolean,
    ];

    /// The type's name in JSON Schema (`integer`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Object => "object",
            Self::Array => "array",
            Self::String => "string",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Boolean => "boolean",
        }
    }
}

/// A string format the workspace checks and generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// RFC 3339 (`2024-01-02T03:04:05Z`).
    DateTime,
    Email,
    Uri,
    /// OpenAPI's `password`: any text, a secret, which the generated client never shows.
    Password,
}

impl Format {
    const ALL: [Format; 4] = [Self::DateTime, Self::Email, Self::Uri, Self::Password];

    /// The format's name in JSON Schema (`date-time`).
    pub fn name(self) -> &'static str {
        match self {
            Self::DateTime => "date-time",
            Self::Email => "email",
            Self::Uri => "uri",
            Self::Password => "password",
        }
    }
}

/// What an object schema says of members it does not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Additional {
    /// Nothing: JSON Schema allows them.
    Unsaid,
    /// `additionalProperties: false`.
    Forbidden,
    /// `additionalProperties: {schema}`: each is a value of that schema.
    Each(SchemaId),
}

/// One named member of an object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub name: String,
    pub schema: SchemaId,
    /// Whether the object schema lists it in `required`.
    pub required: bool,
    /// Where the member as stated (its name, its being required) comes from: a decision when
    /// the property (or the `$ref` standing for it) carries `x-decision`.
    pub provenance: Provenance,
    /// Where the property stands.
    pub pointer: String,
}

/// One schema of the document, its references resolved to ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// Where the schema stands in the document.
    pub pointer: String,
    /// Its name under `components/schemas`, if it is one there.
    pub name: Option<String>,
    /// `type`; an object also when the schema only lists `properties` or
    /// `additionalProperties`; `None` for a schema that allows any value.
    pub kind: Option<Kind>,
    /// `properties`, in document order.
    pub properties: Vec<Property>,
    pub additional: Additional,
    /// `items`, for an array.
    pub items: Option<SchemaId>,
    pub min_items: Option<u64>,
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    /// `enum`: the only values allowed.
    pub allowed: Option<Vec<Value>>,
    pub format: Option<Format>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub example: Option<Value>,
    /// `default`: the value a reader takes for a member left out.
    pub default: Option<Value>,
    /// `x-identifies`: what a value of this schema names.
    pub identifies: Option<Relation>,
    /// `x-vocabulary`: the values the sources document for this string, an open list.
    pub vocabulary: Option<Vocabulary>,
    /// Where the schema's own constraints (type, values, format) come from.
    pub provenance: Provenance,
}

impl Schema {
    /// A schema that allows any value, standing at `at`.
    fn anything(at: &str) -> Self {
        Self {
            pointer: at.to_owned(),
            name: None,
            kind: None,
            properties: Vec::new(),
            additional: Additional::Unsaid,
            items: None,
            min_items: None,
            minimum: None,
            maximum: None,
            allowed: None,
            format: None,
            title: None,
            description: None,
            example: None,
            default: None,
            identifies: None,
            vocabulary: None,
            provenance: Provenance::Documented,
        }
    }

    /// The member `name`: its property, if the schema names it.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// The property a collection's `filter` or `sortby` names: by its exact name, else by its
    /// name in any letter case, as a real server reads field names there (Juniper's Ansible
    /// collection filters on `OSversion` and `SerialNumber`, fields spelled `OSVersion` and
    /// `serialNumber`).
    pub fn queried_property(&self, name: &str) -> Option<&Property> {
        self.property(name).or_else(|| {
            self.properties
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(name))
        })
    }

    /// The schema of a member `name` of an object of this schema: its property's, else the
    /// `additionalProperties` schema.
    pub fn member_schema(&self, name: &str) -> Option<SchemaId> {
        self.property(name)
            .map(|p| p.schema)
            .or(match self.additional {
                Additional::Each(id) => Some(id),
                _ => None,
            })
    }

    /// True for a name → value map: an object schema that names no member and says what
    /// each of its members is (`additionalProperties: {schema}`), such as a device's
    /// parameters. Its values are keyed by data, not by the spec.
    pub fn is_map(&self) -> bool {
        self.properties.is_empty() && matches!(self.additional, Additional::Each(_))
    }

    /// The names of the required members, in document order.
    pub fn required(&self) -> impl Iterator<Item = &str> {
        self.properties
            .iter()
            .filter(|p| p.required)
            .map(|p| p.name.as_str())
    }
}

/// Every schema of the document, each once.
#[derive(Debug, Clone, Default)]
pub struct Schemas {
    arena: Vec<Schema>,
}

impl Schemas {
    /// The schema `id` names.
    pub fn get(&self, id: SchemaId) -> &Schema {
        &self.arena[id.0 as usize]
    }

    /// Every schema with its id, in the order they were read.
    pub fn iter(&self) -> impl Iterator<Item = (SchemaId, &Schema)> {
        self.arena
            .iter()
            .enumerate()
            .map(|(index, schema)| (SchemaId(index as u32), schema))
    }

    /// The schema named `name` under `components/schemas`.
    pub fn named(&self, name: &str) -> Option<SchemaId> {
        self.iter()
            .find(|(_, schema)| schema.name.as_deref() == Some(name))
            .map(|(id, _)| id)
    }
}

/// Schema keywords every consumer of the model understands; any other is refused where it
/// stands, so that a constraint is never silently ignored by one of them.
const SUPPORTED_KEYWORDS: [&str; 17] = [
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "minimum",
    "maximum",
    "enum",
    "format",
    "description",
    "title",
    "example",
    "default",
    X_IDENTIFIES,
    X_DECISION,
    X_VOCABULARY,
];

/// What may stand beside a `$ref`: words for the reader, and the provenance of the member the
/// reference stands for.
const BESIDE_A_REF: [&str; 4] = ["$ref", "description", "summary", X_DECISION];

/// Reads schemas out of the document into the arena, each pointer once.
pub(crate) struct SchemaReader<'d> {
    document: &'d Value,
    arena: Vec<Schema>,
    by_pointer: HashMap<String, SchemaId>,
    decisions: &'d mut DecisionsNamed,
}

impl<'d> SchemaReader<'d> {
    pub(crate) fn new(document: &'d Value, decisions: &'d mut DecisionsNamed) -> Self {
        Self {
            document,
            arena: Vec::new(),
            by_pointer: HashMap::new(),
            decisions,
        }
    }

    /// The decisions met so far.
    pub(crate) fn decisions(&mut self) -> &mut DecisionsNamed {
        self.decisions
    }

    pub(crate) fn finish(self) -> Schemas {
        Schemas { arena: self.arena }
    }

    /// Reads every schema under `components/schemas`, so that each named schema is in the
    /// arena, used or not.
    pub(crate) fn read_components(&mut self) -> Result<(), SpecError> {
        let names: Vec<String> = self
            .document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| schemas.keys().cloned().collect())
            .unwrap_or_default();
        for name in names {
            let at = pointer::from_tokens(["components", "schemas", name.as_str()]);
            self.read_at(&at)?;
        }
        Ok(())
    }

    /// The schema standing at `at` (a `$ref` followed), read once.
    pub(crate) fn read_at(&mut self, at: &str) -> Result<SchemaId, SpecError> {
        Ok(self.read_member_at(at)?.0)
    }

    /// The schema at `at`, and the provenance of the member it stands for: a decision when the
    /// node (or the `$ref` that stands there) carries `x-decision`.
    fn read_member_at(&mut self, at: &str) -> Result<(SchemaId, Provenance), SpecError> {
        let node = self
            .document
            .pointer(at)
            .ok_or_else(|| SpecError::at(at, "nothing stands at this pointer", "check the $ref"))?;
        let Some(object) = node.as_object() else {
            return Err(SpecError::at(
                at,
                format!("a schema must be a mapping, found {node}"),
                "write the schema as a mapping (`{type: string}`)",
            ));
        };
        let here = self.provenance(object, at)?;
        let Some(reference) = object.get("$ref") else {
            let id = self.read_node(object, at)?;
            return Ok((id, here));
        };
        if let Some(key) = object
            .keys()
            .find(|key| !BESIDE_A_REF.contains(&key.as_str()))
        {
            return Err(SpecError::at(
                pointer::join(at, key),
                format!("`{key}` beside a $ref is not read"),
                "move it into the schema the $ref names, or drop it",
            ));
        }
        let target = local_target(reference, &pointer::join(at, "$ref"))?;
        if self.document.pointer(&target).is_none() {
            return Err(SpecError::at(
                pointer::join(at, "$ref"),
                format!("reference #{target} points at nothing"),
                "define the target under components/schemas, or fix the name",
            ));
        }
        let id = self.read_at(&target)?;
        Ok((id, here))
    }

    fn read_node(&mut self, object: &Map<String, Value>, at: &str) -> Result<SchemaId, SpecError> {
        if let Some(&id) = self.by_pointer.get(at) {
            return Ok(id);
        }
        for key in object.keys() {
            if !SUPPORTED_KEYWORDS.contains(&key.as_str()) {
                return Err(SpecError::at(
                    pointer::join(at, key),
                    format!("the schema keyword `{key}` is not supported"),
                    format!(
                        "use only {}: every consumer of the spec (generator, validator, value \
                         strategies, simulator) must understand a constraint before the spec \
                         states it",
                        SUPPORTED_KEYWORDS.join(", ")
                    ),
                ));
            }
        }
        // The id is taken before the members are read, so a schema can contain itself.
        let id = SchemaId(self.arena.len() as u32);
        self.by_pointer.insert(at.to_owned(), id);
        let name = at
            .strip_prefix("/components/schemas/")
            .filter(|rest| !rest.contains('/'))
            .map(|name| name.replace("~1", "/").replace("~0", "~"));
        let provenance = self.provenance(object, at)?;
        self.arena.push(Schema::anything(at));
        let mut schema = self.read_fields(object, at)?;
        schema.pointer = at.to_owned();
        schema.name = name;
        schema.provenance = provenance;
        self.arena[id.0 as usize] = schema;
        Ok(id)
    }

    /// Everything of the schema at `at` but its pointer, name and provenance.
    fn read_fields(&mut self, object: &Map<String, Value>, at: &str) -> Result<Schema, SpecError> {
        let field_at = |key: &str| pointer::join(at, key);
        let declared_kind = match object.get("type") {
            None => None,
            Some(Value::String(name)) => Some(
                Kind::ALL
                    .into_iter()
                    .find(|kind| kind.name() == name)
                    .ok_or_else(|| {
                        SpecError::at(
                            field_at("type"),
                            format!("`{name}` is not a JSON type"),
                            "write object, array, string, integer, number or boolean",
                        )
                    })?,
            ),
            Some(other) => {
                return Err(SpecError::at(
                    field_at("type"),
                    format!("`type` must name one type, found {other}"),
                    "a list of types (OpenAPI 3.1) is not supported: name one type",
                ));
            }
        };
        let required: Vec<String> = match object.get("required") {
            None => Vec::new(),
            Some(Value::Array(names)) => names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    name.as_str().map(str::to_owned).ok_or_else(|| {
                        SpecError::at(
                            pointer::join(&field_at("required"), &i.to_string()),
                            format!("{name} is not a member name"),
                            "list the names of required members",
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(SpecError::at(
                    field_at("required"),
                    "`required` must be a list of names",
                    "",
                ));
            }
        };
        let mut properties = Vec::new();
        if let Some(declared) = object.get("properties") {
            let declared = declared.as_object().ok_or_else(|| {
                SpecError::at(
                    field_at("properties"),
                    "`properties` must map names to schemas",
                    "",
                )
            })?;
            for name in declared.keys() {
                let property_at = pointer::join(&field_at("properties"), name);
                let (schema, provenance) = self.read_member_at(&property_at)?;
                properties.push(Property {
                    name: name.clone(),
                    schema,
                    required: required.contains(name),
                    provenance,
                    pointer: property_at,
                });
            }
        }
        if let Some((i, name)) = required
            .iter()
            .enumerate()
            .find(|(_, name)| !properties.iter().any(|p| &p.name == *name))
        {
            return Err(SpecError::at(
                pointer::join(&field_at("required"), &i.to_string()),
                format!("`{name}` is required but not among the schema's properties"),
                "declare the member under `properties`, or fix its name",
            ));
        }
        let additional = match object.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Additional::Unsaid,
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(_) => Additional::Each(self.read_at(&field_at("additionalProperties"))?),
        };
        let items = match object.get("items") {
            None => None,
            Some(_) => Some(self.read_at(&field_at("items"))?),
        };
        let kind = declared_kind.or_else(|| {
            (object.contains_key("properties") || object.contains_key("additionalProperties"))
                .then_some(Kind::Object)
        });
        if kind == Some(Kind::Array) && items.is_none() {
            return Err(SpecError::at(
                at,
                "an array schema without `items`",
                "say what the array holds",
            ));
        }
        let number = |key: &str| -> Result<Option<Number>, SpecError> {
            match object.get(key) {
                None => Ok(None),
                Some(Value::Number(n)) => Ok(Some(n.clone())),
                Some(other) => Err(SpecError::at(
                    field_at(key),
                    format!("`{key}` must be a number, found {other}"),
                    "",
                )),
            }
        };
        let min_items = match object.get("minItems") {
            None => None,
            Some(value) => Some(value.as_u64().ok_or_else(|| {
                SpecError::at(
                    field_at("minItems"),
                    "`minItems` must be a whole number",
                    "",
                )
            })?),
        };
        let allowed = match object.get("enum") {
            None => None,
            Some(Value::Array(values)) if !values.is_empty() => Some(values.clone()),
            Some(_) => {
                return Err(SpecError::at(
                    field_at("enum"),
                    "`enum` must list at least one value",
                    "",
                ));
            }
        };
        let format = match object.get("format") {
            None => None,
            Some(value) => Some(
                Format::ALL
                    .into_iter()
                    .find(|format| value.as_str() == Some(format.name()))
                    .ok_or_else(|| {
                        SpecError::at(
                            field_at("format"),
                            format!("the string format {value} is not supported"),
                            "use date-time, email, uri or password, or teach the model, the \
                             validator and the kit's strategies the format",
                        )
                    })?,
            ),
        };
        let text = |key: &str| -> Result<Option<String>, SpecError> {
            match object.get(key) {
                None => Ok(None),
                Some(Value::String(text)) => Ok(Some(text.clone())),
                Some(_) => Err(SpecError::at(
                    field_at(key),
                    format!("`{key}` must be text"),
                    "",
                )),
            }
        };
        let identifies = match object.get(X_IDENTIFIES) {
            None => None,
            Some(value) => Some(Relation::read(value, &field_at(X_IDENTIFIES))?),
        };
        let vocabulary = match object.get(X_VOCABULARY) {
            None => None,
            Some(value) => {
                let at = field_at(X_VOCABULARY);
                if kind != Some(Kind::String) {
                    return Err(SpecError::at(
                        at,
                        "x-vocabulary stands on a string schema only",
                        "add `type: string`, or move the list to the string it describes",
                    ));
                }
                let vocabulary = Vocabulary::read(value, &at)?;
                self.decisions
                    .entry(vocabulary.decision.clone())
                    .or_insert(at);
                Some(vocabulary)
            }
        };
        Ok(Schema {
            kind,
            properties,
            additional,
            items,
            min_items,
            minimum: number("minimum")?,
            maximum: number("maximum")?,
            allowed,
            format,
            title: text("title")?,
            description: text("description")?,
            example: object.get("example").cloned(),
            default: object.get("default").cloned(),
            identifies,
            vocabulary,
            ..Schema::anything("")
        })
    }

    /// The provenance `x-decision` gives the node at `at`, recording the decision it names.
    pub(crate) fn provenance(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
    ) -> Result<Provenance, SpecError> {
        read_provenance(object, at, self.decisions)
    }
}

/// The values the sources document for a string (`x-vocabulary`), and the decision that the
/// list is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vocabulary {
    pub values: Vec<String>,
    /// [`OPEN_VOCABULARIES`]: a value outside the list breaks a decision, not a fact.
    pub decision: Decision,
}

impl Vocabulary {
    /// Reads an `x-vocabulary` value standing at `at`: a non-empty list of distinct strings.
    fn read(value: &Value, at: &str) -> Result<Self, SpecError> {
        let refused = || {
            SpecError::at(
                at,
                format!("x-vocabulary must list distinct strings, found {value}"),
                "write the values the sources document: x-vocabulary: [SCHEDULED, DONE]",
            )
        };
        let values: Vec<String> = value
            .as_array()
            .filter(|items| !items.is_empty())
            .ok_or_else(refused)?
            .iter()
            .map(|item| item.as_str().map(str::to_owned).ok_or_else(refused))
            .collect::<Result<_, _>>()?;
        if values
            .iter()
            .enumerate()
            .any(|(i, v)| values[..i].contains(v))
        {
            return Err(refused());
        }
        Ok(Self {
            values,
            decision: Decision::named(OPEN_VOCABULARIES),
        })
    }

    /// Whether `text` is one of the documented values.
    pub fn has(&self, text: &str) -> bool {
        self.values.iter().any(|value| value == text)
    }
}

/// The provenance `x-decision` gives `object` (standing at `at`), recording the decision.
pub(crate) fn read_provenance(
    object: &Map<String, Value>,
    at: &str,
    decisions: &mut DecisionsNamed,
) -> Result<Provenance, SpecError> {
    let Some(value) = object.get(X_DECISION) else {
        return Ok(Provenance::Documented);
    };
    let at = pointer::join(at, X_DECISION);
    let decision = Decision::read(value, &at)?;
    decisions.entry(decision.clone()).or_insert(at);
    Ok(Provenance::Decided(decision))
}

/// The pointer a local `$ref` names (`#/components/schemas/Device` → `/components/schemas/Device`).
pub(crate) fn local_target(reference: &Value, at: &str) -> Result<String, SpecError> {
    reference
        .as_str()
        .and_then(|r| r.strip_prefix('#'))
        .map(str::to_owned)
        .ok_or_else(|| {
            SpecError::at(
                at,
                format!("unsupported reference {reference}"),
                "only local references such as '#/components/schemas/Device' are supported",
            )
        })
}
