//! Emits `generated/src/dynamic.rs`: every operation callable by its spec operationId with
//! JSON arguments, so that tests and the conformance kit walk the spec, not a hand-kept list.
//!
//! The argument types are read from the builders progenitor generated (`V: TryInto<T>` on
//! each setter), so the dispatcher goes through the same typed code a user's call does.

use junos_space_model::api::Operation;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::names::progenitor_snake_case;
use crate::progenitor_output::Client;

/// Generates the dispatcher module for `operations` from the rewritten client.
pub fn module(client: &Client, operations: &[Operation]) -> Result<TokenStream, String> {
    let mut arms = Vec::new();
    for operation in operations {
        let id = &operation.id;
        let method = progenitor_snake_case(id);
        let builder = client
            .builders
            .builders
            .iter()
            .find(|builder| builder.send.operation_id() == method)
            .ok_or_else(|| format!("no builder generated for `{id}`"))?;
        let method_ident = format_ident!("{}", method);
        let mut steps = Vec::new();
        for parameter in &operation.parameters {
            let setter = progenitor_snake_case(&parameter.name);
            let ty = builder.setter(&setter).map(|s| &s.target).ok_or_else(|| {
                format!(
                    "`{id}`: no setter `{setter}` for parameter `{}`",
                    parameter.name
                )
            })?;
            let setter_ident = format_ident!("{}", setter);
            let api_name = &parameter.name;
            steps.push(quote! {
                if let Some(value) = argument::<#ty>(parameters.get(#api_name), #api_name)? {
                    call = call.#setter_ident(value);
                }
            });
        }
        if operation.request.is_some() {
            let ty = builder
                .setter("body")
                .map(|s| &s.target)
                .ok_or_else(|| format!("`{id}`: no body setter"))?;
            steps.push(quote! {
                if let Some(value) = argument::<#ty>(body, "body")? {
                    call = call.body(value);
                }
            });
        }
        let binding = if steps.is_empty() {
            quote!(let call)
        } else {
            quote!(let mut call)
        };
        arms.push(quote! {
            #id => {
                #binding = client.#method_ident();
                #(#steps)*
                answer(call.send().await)
            }
        });
    }
    let ids = operations.iter().map(|o| o.id.as_str());
    Ok(quote! {
        use progenitor_client::ResponseValue;
        use serde_json::{Map, Value};

        use crate::{Client, types};

        /// Every operationId this client can call, in the spec's order.
        pub const OPERATION_IDS: &[&str] = &[#(#ids),*];

        /// A successful answer, its typed body turned back into JSON.
        #[derive(Debug)]
        pub struct Answer {
            /// The HTTP status.
            pub status: u16,
            /// The response headers.
            pub headers: reqwest::header::HeaderMap,
            /// The decoded body as JSON; `null` for an answer without a body.
            pub body: Value,
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
            Api(::junos_space_runtime::Error),
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

        /// Calls `operation_id` with path and query `parameters` keyed by their spec names,
        /// and the request `body`, each decoded into the operation's typed arguments first.
        pub async fn call(
            client: &Client,
            operation_id: &str,
            parameters: &Map<String, Value>,
            body: Option<&Value>,
        ) -> Result<Answer, DispatchError> {
            match operation_id {
                #(#arms)*
                other => Err(DispatchError::UnknownOperation(other.to_owned())),
            }
        }

        fn argument<T: serde::de::DeserializeOwned>(
            value: Option<&Value>,
            name: &str,
        ) -> Result<Option<T>, DispatchError> {
            value
                .map(|value| {
                    T::deserialize(value).map_err(|error| DispatchError::Argument {
                        name: name.to_owned(),
                        message: error.to_string(),
                    })
                })
                .transpose()
        }

        fn answer<T: serde::Serialize>(
            result: Result<ResponseValue<T>, ::junos_space_runtime::Error>,
        ) -> Result<Answer, DispatchError> {
            match result {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let headers = response.headers().clone();
                    Ok(Answer { status, headers, body: to_json(&response.into_inner()) })
                }
                Err(error) => Err(DispatchError::Api(error)),
            }
        }

        fn to_json<T: serde::Serialize>(value: &T) -> Value {
            // Generated types always serialize; a failure would be a bug worth seeing.
            serde_json::to_value(value).unwrap_or_else(|error| Value::String(format!("unserializable: {error}")))
        }
    })
}
