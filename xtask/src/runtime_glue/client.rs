//! The generated `Client` itself: `new` without a runtime argument. (Its constants are the
//! head of the operation table, `tables.rs`.)

use syn::parse_quote;

use crate::context::Context;
use crate::progenitor_output::Generated;

/// progenitor's `Client::new` takes the inner value as a second argument, and no setting
/// gives it a default; the crate's users (and its README) call `Client::new(url)`, so `new`
/// keeps one argument and uses `Runtime::default()`. `new_with_client(url, client, runtime)`
/// takes a configured one.
pub(crate) fn new_without_runtime(
    _: &Context<'_>,
    generated: &mut Generated,
) -> Result<usize, String> {
    let constructor = &mut generated.client.constructor;
    constructor.new_with_inner(parse_quote!(::std::default::Default::default()))?;
    constructor.document_new("");
    constructor.document_new(" Its runtime is `Runtime::default()`: no credentials, no retries.");
    Ok(1)
}
