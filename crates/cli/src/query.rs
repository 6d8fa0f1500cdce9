//! A collection's query as an operator writes it, `--filter "deviceFamily eq 'junos'"` and
//! `--sort name:desc`, put in the server's grammar (`(deviceFamily eq 'junos')`,
//! `(name(descending))`): the same flags for `devices list` and every `api` command of a
//! collection. What is already in the server's grammar passes unchanged.

use junos_space::SortBy;

use crate::exit::Failure;

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

/// A `sortby` as given: the server's own form (`(name(descending))`) unchanged, else
/// comma-separated `FIELD[:asc|:desc]`.
pub fn sortby_expression(text: &str) -> Result<String, Failure> {
    let text = text.trim();
    if text.starts_with('(') {
        return Ok(text.to_owned());
    }
    let fields: Vec<String> = text.split(',').map(|f| f.trim().to_owned()).collect();
    sort_order(&fields)?
        .map(String::from)
        .ok_or_else(|| Failure::Usage("--sortby: no field to sort by".into()))
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
        assert_eq!(
            sortby_expression("name, ipAddr:desc").expect("valid"),
            "(name(ascending), ipAddr(descending))"
        );
        assert_eq!(
            sortby_expression("(name(descending))").expect("valid"),
            "(name(descending))"
        );
    }
}
