//! The frame of `mock::by_id`: any operation's mock by its spec operationId, for tests that
//! walk the spec. `cargo xtask regenerate` writes one row per operation into `mock.rs` (each
//! documented status with the typed helper that answers it); [`by_id!`] turns the rows into
//! `mock::by_id::answer`.

/// Why [`answer`](crate::mock::by_id::answer) mocked nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    /// The spec has no operation with this id.
    UnknownOperation(String),
    /// The operation documents no answer with this status.
    UndocumentedStatus {
        operation_id: &'static str,
        status: u16,
    },
    /// The body does not fit the status's answer type.
    Body {
        operation_id: &'static str,
        status: u16,
        message: String,
    },
}

impl std::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownOperation(id) => write!(f, "no operation `{id}` in the spec"),
            Self::UndocumentedStatus {
                operation_id,
                status,
            } => write!(f, "`{operation_id}` documents no {status} answer"),
            Self::Body {
                operation_id,
                status,
                message,
            } => write!(f, "`{operation_id}` {status}: {message}"),
        }
    }
}

impl std::error::Error for AnswerError {}

/// The rows, one per operation, each documented status with the `Then` method that answers
/// it and what that method takes: `()` nothing, `(text)` the body as text, `(T)` the body
/// decoded as `T`.
///
/// ```text
/// by_id! {
///     "getJob" => get_job {
///         200 => ok(types::JobResponse),
///         404 => not_found(::serde_json::Value),
///     }
///     "login" => login { 200 => ok(text) }
/// }
/// ```
macro_rules! by_id {
    ($(
        $(#[cfg($condition:meta)])?
        $id:literal => $helper:ident {
            $($status:literal => $answer:ident $takes:tt),* $(,)?
        }
    )*) => {
        /// Any operation's mock by its spec operationId, for tests that walk the spec.
        pub mod by_id {
            use super::MockServerExt as _;
            pub use $crate::mock_by_id::AnswerError;

            /// Mocks `operation_id` answering `status` with `body` through its typed helper:
            /// the request it matches (method, path, `Accept`, `Content-Type`) and the answer
            /// it gives (media type, body) are exactly the helper's. `body` is the answer as
            /// JSON (a JSON string for a plain-text answer) and is ignored by an answer that
            /// has none.
            pub fn answer<'s>(
                server: &'s ::httpmock::MockServer,
                operation_id: &str,
                status: u16,
                body: &::serde_json::Value,
            ) -> ::std::result::Result<::httpmock::Mock<'s>, AnswerError> {
                let _ = body;
                match operation_id {
                    $(
                    $(#[cfg($condition)])?
                    $id => match status {
                        $($status => {
                            $crate::mock_by_id::serve!(
                                server, $helper, $answer, $takes, $id, $status, body
                            )
                        })*
                        _ => Err(AnswerError::UndocumentedStatus { operation_id: $id, status }),
                    },)*
                    other => Err(AnswerError::UnknownOperation(other.to_owned())),
                }
            }
        }
    };
}
pub(crate) use by_id;

/// One documented answer served through its helper.
macro_rules! serve {
    ($server:ident, $helper:ident, $answer:ident, (), $id:literal, $status:literal, $body:ident) => {
        Ok($server.$helper(|_, then| {
            then.$answer();
        }))
    };
    ($server:ident, $helper:ident, $answer:ident, (text), $id:literal, $status:literal, $body:ident) => {{
        let text = $body
            .as_str()
            .ok_or_else(|| $crate::mock_by_id::AnswerError::Body {
                operation_id: $id,
                status: $status,
                message: "a plain-text answer takes a JSON string".into(),
            })?;
        Ok($server.$helper(|_, then| {
            then.$answer(text);
        }))
    }};
    ($server:ident, $helper:ident, $answer:ident, ($value:ty), $id:literal, $status:literal, $body:ident) => {{
        let value: $value = ::serde_json::from_value($body.clone()).map_err(|error| {
            $crate::mock_by_id::AnswerError::Body {
                operation_id: $id,
                status: $status,
                message: error.to_string(),
            }
        })?;
        Ok($server.$helper(|_, then| {
            then.$answer(&value);
        }))
    }};
}
pub(crate) use serve;
