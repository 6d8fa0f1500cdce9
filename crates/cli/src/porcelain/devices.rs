//! `devices list`: every device, page by page, with a filter and a sort in the server's own
//! grammar, printed as each page comes (NDJSON) or as a table once all have.

use futures_util::TryStreamExt as _;
use junos_space::prelude::*;
use junos_space::{Client, SortBy};

use crate::exit::Failure;
use crate::output::Output;

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

/// `(deviceFamily eq 'junos')` from `deviceFamily eq 'junos'` or the same in parentheses.
pub fn filter_expression(text: &str) -> String {
    let text = text.trim();
    if text.starts_with('(') && text.ends_with(')') {
        text.to_owned()
    } else {
        format!("({text})")
    }
}

/// `name`, `name:asc` or `name:desc`, in order, as one `sortby`.
pub fn sort_order(fields: &[String]) -> Result<Option<SortBy>, Failure> {
    let mut order: Option<SortBy> = None;
    for field in fields {
        let (name, descending) = match field.rsplit_once(':') {
            Some((name, "desc")) => (name, true),
            Some((name, "asc")) => (name, false),
            Some(_) => {
                return Err(Failure::Usage(format!(
                    "--sort `{field}`: write FIELD, FIELD:asc or FIELD:desc"
                )));
            }
            None => (field.as_str(), false),
        };
        order = Some(match (order, descending) {
            (None, false) => SortBy::ascending(name),
            (None, true) => SortBy::descending(name),
            (Some(order), false) => order.then_ascending(name),
            (Some(order), true) => order.then_descending(name),
        });
    }
    Ok(order)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_gain_their_parentheses_and_sorts_chain() {
        assert_eq!(
            filter_expression("deviceFamily eq 'junos'"),
            "(deviceFamily eq 'junos')"
        );
        assert_eq!(filter_expression("(name eq 'a')"), "(name eq 'a')");
        let order = sort_order(&["name".into(), "ipAddr:desc".into()])
            .expect("valid")
            .expect("an order");
        assert_eq!(String::from(order), "(name(ascending), ipAddr(descending))");
        assert!(sort_order(&["name:up".into()]).is_err());
    }
}
