//! `devices list`: every device, page by page, with a filter and a sort as an operator writes
//! them, printed as each page comes (NDJSON) or as a table once all have.

use futures_util::TryStreamExt as _;
use junos_space::Client;
use junos_space::prelude::*;

use crate::exit::Failure;
use crate::output::Output;
use crate::query::{filter_expression, sort_order};

/// The fields a table of devices shows (JSON keeps every field).
pub const TABLE: &[&str] = &[
    "@key",
    "name",
    "ipAddr",
    "platform",
    "OSVersion",
    "deviceFamily",
    "connectionStatus",
    "managedStatus",
];

/// Lists the devices, `page_size` to a request.
pub async fn list(
    client: &Client,
    filter: Option<&str>,
    sort: &[String],
    page_size: u64,
    output: &mut Output,
) -> Result<(), Failure> {
    let mut listing = client.list_devices();
    if let Some(filter) = filter {
        listing = listing.filter(filter_expression(filter));
    }
    if let Some(order) = sort_order(sort)? {
        listing = listing.sortby(order);
    }
    let mut devices = listing.items(page_size);
    while let Some(device) = devices.try_next().await? {
        let record = serde_json::to_value(&device)
            .map_err(|error| Failure::Api(format!("a device cannot be printed: {error}")))?;
        output.record(record).map_err(crate::exit::printing)?;
    }
    Ok(())
}
