//! Traits the xtask implements for every generated builder, so hand-written code can send any
//! operation, and walk any collection, without naming it.

use std::future::Future;

use progenitor_client::ResponseValue;

use crate::error::Error;

/// A generated request builder, ready to send.
pub trait Operation: Sized + Send {
    /// The decoded body of a successful answer.
    type Output: Send;
    /// The operation's id as progenitor names it (`list_devices`).
    const OPERATION_ID: &'static str;
    /// The exact `Accept` header the spec names for this operation.
    const ACCEPT: Option<&'static str>;

    /// Sends the request: the builder's own `send`.
    fn send_request(
        self,
    ) -> impl Future<Output = Result<ResponseValue<Self::Output>, Error>> + Send;
}

/// One page of a collection: its members, and the collection's count (`@size` or `@total`, as
/// the spec names it for that collection) when the server sent it.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The members on this page.
    pub items: Vec<T>,
    /// The number of members in the whole collection (`@size` or `@total`).
    pub total: Option<u64>,
}

impl<T> Page<T> {
    /// A page with no members and no total (an answer without the collection's envelope).
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            total: None,
        }
    }
}

/// An operation whose answer is a collection envelope (`{"devices": {"@size", "device": [..]}}`).
pub trait Collection: Operation {
    /// A member of the collection.
    type Item: Send;

    /// Takes the members (and the count) out of an answer.
    fn page(output: Self::Output) -> Page<Self::Item>;
}

/// A collection operation that takes a `paging=(start eq N, limit eq M)` parameter.
pub trait Paged: Collection + Clone {
    /// Sets the `paging` query parameter.
    fn with_paging(self, paging: String) -> Self;
}
