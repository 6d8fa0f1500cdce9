//! Every operation callable by its spec operationId with JSON arguments, so that tests, the
//! conformance kit and the command line walk the spec, not a hand-kept list.
//!
//! `cargo xtask regenerate` writes the table (`dynamic_table.rs`): one row per operation with
//! its builder method and each parameter's setter and type, read from the builders
//! progenitor generated, so a call goes through the same typed code a user's call does.
//! `operations!` below is what the rows become.

use progenitor_client::ResponseValue;
use serde_json::Value;

pub use crate::dynamic_table::{OPERATION_IDS, call};

/// A successful answer, its typed body turned back into JSON, and the body as it came.
#[derive(Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The decoded body as JSON; `null` for an answer without a body. Only what the spec
    /// names is there: the generated types keep no other member.
    pub body: Value,
    /// The JSON body as the server sent it, every member kept (a device's `use-nat` that the
    /// spec does not name), once it decoded into its type; `None` for an answer without a
    /// JSON body (none, or text).
    pub sent: Option<Value>,
}

impl Answer {
    /// What to show a reader: the body as sent, else the decoded one.
    pub fn shown(&self) -> &Value {
        self.sent.as_ref().unwrap_or(&self.body)
    }
}

/// Why a dynamic call did not give an [`Answer`].
#[derive(Debug)]
pub enum DispatchError {
    /// No operation has this operationId.
    UnknownOperation(String),
    /// An argument does not fit its parameter's type.
    Argument {
        /// The parameter's name in the spec (`body` for the request body).
        name: String,
        /// What did not fit.
        message: String,
    },
    /// The typed call failed, as its `send` reads the failure.
    Api(junos_space_runtime::Error),
}

impl std::fmt::Display for DispatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownOperation(id) => write!(f, "no operation `{id}` in the spec"),
            Self::Argument { name, message } => write!(f, "argument `{name}`: {message}"),
            Self::Api(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for DispatchError {}

/// The rows, one per operation in the spec's order: its operationId, the client's method,
/// each parameter's spec name, setter and type, and the body's type if it takes one.
///
/// ```text
/// operations! {
///     "getDevice" => get_device { "device_id" => device_id: i64 }
///     "discoverDevice" => discover_device { "queue" => queue: String } body: types::DiscoverDevicesRequest
/// }
/// ```
///
/// They become [`OPERATION_IDS`] and [`call`]: `call(client, operation_id, parameters, body)`
/// decodes path and query `parameters` (keyed by their spec names) and the request `body`
/// into the operation's typed arguments, sends it, and gives the answer back as JSON.
macro_rules! operations {
    ($(
        $id:literal => $method:ident {
            $($name:literal => $setter:ident: $type:ty),* $(,)?
        } $(body: $body:ty)?
    )*) => {
        /// Every operationId this client can call, in the spec's order.
        pub const OPERATION_IDS: &[&str] = &[$($id),*];

        /// Calls `operation_id` with path and query `parameters` keyed by their spec names,
        /// and the request `body`, each decoded into the operation's typed arguments first.
        pub async fn call(
            client: &$crate::Client,
            operation_id: &str,
            parameters: &::serde_json::Map<String, ::serde_json::Value>,
            body: Option<&::serde_json::Value>,
        ) -> Result<$crate::dynamic::Answer, $crate::dynamic::DispatchError> {
            let _ = (parameters, body);
            match operation_id {
                $($id => {
                    #[allow(unused_mut)]
                    let mut call = client.$method();
                    $(
                        if let Some(value) =
                            $crate::dynamic::argument::<$type>(parameters.get($name), $name)?
                        {
                            call = call.$setter(value);
                        }
                    )*
                    $(
                        if let Some(value) = $crate::dynamic::argument::<$body>(body, "body")? {
                            call = call.body(value);
                        }
                    )?
                    $crate::dynamic::answer(::junos_space_runtime::keeping_body(call.send()).await)
                })*
                other => Err($crate::dynamic::DispatchError::UnknownOperation(other.to_owned())),
            }
        }
    };
}
pub(crate) use operations;

/// `value` decoded as the type of parameter `name`.
/// serde's message without the value it quotes (`invalid type: string "hunter2", expected a
/// boolean` → `invalid type: string, expected a boolean`): the value may be a secret put in
/// the wrong field, and a message goes to logs and terminals.
fn without_values(message: &str) -> String {
    let Some((head, expected)) = message.rsplit_once(", expected ") else {
        return message.to_owned();
    };
    for what in ["invalid type: ", "invalid value: "] {
        if let Some(unexpected) = head.strip_prefix(what) {
            let kind = unexpected.split([' ', '`']).next().unwrap_or_default();
            return format!("{what}{kind}, expected {expected}");
        }
    }
    if head.starts_with("unknown variant ") {
        return format!("unknown variant, expected {expected}");
    }
    message.to_owned()
}

pub(crate) fn argument<T: serde::de::DeserializeOwned>(
    value: Option<&Value>,
    name: &str,
) -> Result<Option<T>, DispatchError> {
    value
        .map(|value| {
            T::deserialize(value).map_err(|error| DispatchError::Argument {
                name: name.to_owned(),
                message: without_values(&error.to_string()),
            })
        })
        .transpose()
}

/// A typed call's outcome, with the body it decoded as sent, as an [`Answer`].
pub(crate) fn answer<T: serde::Serialize>(
    (result, sent): (
        Result<ResponseValue<T>, junos_space_runtime::Error>,
        Option<Value>,
    ),
) -> Result<Answer, DispatchError> {
    match result {
        Ok(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            Ok(Answer {
                status,
                headers,
                body: to_json(&response.into_inner()),
                sent,
            })
        }
        Err(error) => Err(DispatchError::Api(error)),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    // Generated types always serialize; a failure would be a bug worth seeing.
    serde_json::to_value(value)
        .unwrap_or_else(|error| Value::String(format!("unserializable: {error}")))
}
