//! Listing a collection: `paging`, `filter` and `sortby` in the server's grammar, members
//! rendered as their schema names them, the envelope with its count.

use std::collections::HashMap;

use junos_space_query::{Filter, Paging, QueryError, SortBy, order};
use serde_json::Value;

use super::{Call, World};
use crate::outcome::{Outcome, Refusal};
use crate::render;
use crate::routes::Listing;

/// A listing's query parameters as read: each absent, or what its text reads as.
#[derive(Debug)]
pub(crate) struct Query {
    pub paging: Option<Result<Paging, QueryError>>,
    pub filter: Option<Result<Filter, QueryError>>,
    pub sortby: Option<Result<SortBy, QueryError>>,
}

impl Query {
    /// The parameters of `query`; `known` says which fields a filter or sort may name.
    fn read(query: &HashMap<String, String>, known: impl Fn(&str) -> bool) -> Self {
        Self {
            paging: query.get("paging").map(|p| p.parse::<Paging>()),
            filter: query.get("filter").map(|f| Filter::parse(f, &known)),
            sortby: query.get("sortby").map(|s| SortBy::parse(s, &known)),
        }
    }
}

/// The lenient-queries deviation: a malformed parameter is left out instead of refused.
pub(crate) fn without_malformed(query: Query) -> Query {
    Query {
        paging: query.paging.filter(Result::is_ok),
        filter: query.filter.filter(Result::is_ok),
        sortby: query.sortby.filter(Result::is_ok),
    }
}

/// The ignore-paging deviation: a well-formed `paging` is left out (a malformed one is still
/// refused, so the deviation shows only in what is listed).
pub(crate) fn without_paging(query: Query) -> Query {
    Query {
        paging: query.paging.filter(Result::is_err),
        ..query
    }
}

/// The ignore-filter deviation: a well-formed `filter` is left out.
pub(crate) fn without_filter(query: Query) -> Query {
    Query {
        filter: query.filter.filter(Result::is_err),
        ..query
    }
}

impl World<'_> {
    pub(super) fn list(
        &self,
        call: &Call<'_>,
        listing: &Listing,
        store: &str,
        collection_uri: &str,
    ) -> Result<Outcome, Refusal> {
        let collection = &listing.collection;
        let item = self.api.schema(collection.item);
        // A field as the member stores it, whatever the letter case the query spells it in.
        let stored = |field: &str| -> Option<&str> {
            match field {
                "@key" => Some("@key"),
                _ => item.queried_property(field).map(|p| p.name.as_str()),
            }
        };
        let known = |field: &str| stored(field).is_some();
        let query = self.rules.query.apply(Query::read(&call.query, known));
        let refuse = |error: QueryError| Refusal::message(400, error.to_string());
        let paging = query.paging.transpose().map_err(refuse)?;
        let filter = query.filter.transpose().map_err(refuse)?;
        let sortby = query.sortby.transpose().map_err(refuse)?;
        // A window past what this machine can index is simply past the end.
        let index = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        let (start, limit) = paging.map_or((0, usize::MAX), |Paging { start, limit }| {
            (index(start), index(limit))
        });

        let (total, page) = {
            let state = self.state.read();
            let empty = Default::default();
            let members = state.stores.get(store).map_or(&empty, |s| &s.members);
            if filter.is_none() && sortby.is_none() {
                // The common case reads only the page, so a 100k-member store stays cheap.
                let page: Vec<_> = members
                    .iter()
                    .skip(start)
                    .take(limit)
                    .map(|(k, v)| (*k, v.clone()))
                    .collect();
                (members.len(), page)
            } else {
                let mut selected: Vec<_> = members
                    .iter()
                    .filter(|(key, member)| {
                        let key_value = Value::from(**key);
                        filter.as_ref().is_none_or(|f| {
                            f.matches(|name| match stored(name)? {
                                "@key" => Some(&key_value),
                                field => member.get(field),
                            })
                        })
                    })
                    .map(|(k, v)| (*k, v.clone()))
                    .collect();
                drop(state);
                if let Some(sortby) = &sortby {
                    selected.sort_by(|(ka, a), (kb, b)| {
                        sortby.ordering(|field| match stored(field) {
                            Some("@key") => ka.cmp(kb),
                            Some(field) => order(a.get(field), b.get(field)),
                            None => std::cmp::Ordering::Equal,
                        })
                    });
                }
                let total = selected.len();
                (
                    total,
                    selected.into_iter().skip(start).take(limit).collect(),
                )
            }
        };
        let shown = page.len();
        let members = page
            .iter()
            .map(|(key, fields)| {
                (self.rules.listed_member)(render::member(
                    self.api,
                    Some(collection.item),
                    collection_uri,
                    *key,
                    fields,
                ))
            })
            .collect();
        let page = render::collection(
            &collection.envelope,
            &collection.member,
            collection_uri,
            collection.count.as_ref().map(|count| count.name.as_str()),
            (self.rules.count)(total),
            members,
        );
        Ok(Outcome::Listed {
            page,
            total,
            shown,
            filtered: filter.is_some(),
        })
    }
}
