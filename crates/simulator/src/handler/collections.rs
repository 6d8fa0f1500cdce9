//! Listing a collection: `paging`, `filter` and `sortby` in the server's grammar, members
//! rendered as their schema names them, the envelope with its count.

use junos_space_query::{Filter, Paging, QueryError, SortBy, order};
use serde_json::Value;

use super::{Answer, Call, Shared};
use crate::config::Deviation;
use crate::render;
use crate::routes::Listing;

impl Shared {
    pub(super) fn list(
        &self,
        call: &Call<'_>,
        listing: &Listing,
        collection_uri: &str,
    ) -> Result<Answer, Answer> {
        let Listing {
            store,
            envelope,
            member: member_name,
            count,
            fields,
        } = listing;
        let variant = call.variant;
        let known = |field: &str| field == "@key" || fields.iter().any(|f| f == field);
        // A malformed value is a 400, or, with the lenient-queries deviation, left out.
        let lenient = self.has(Deviation::LenientQueries);
        let refuse = |error: QueryError| self.error(variant, 400, &error.to_string());
        let paging = checked(
            call.query.get("paging").map(|p| p.parse::<Paging>()),
            lenient,
            refuse,
        )?;
        let filter = checked(
            call.query.get("filter").map(|f| Filter::parse(f, known)),
            lenient,
            refuse,
        )?;
        let sortby = checked(
            call.query.get("sortby").map(|s| SortBy::parse(s, known)),
            lenient,
            refuse,
        )?;
        // The deviations parse what they then ignore, so a malformed value is still a 400.
        let paging = paging.filter(|_| !self.has(Deviation::IgnorePaging));
        let filter = filter.filter(|_| !self.has(Deviation::IgnoreFilter));
        // A window past what this machine can index is simply past the end.
        let index = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        let (start, limit) = paging.map_or((0, usize::MAX), |Paging { start, limit }| {
            (index(start), index(limit))
        });

        let (total, page) = {
            let state = self.read();
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
                            f.matches(|name| {
                                if name == "@key" {
                                    Some(&key_value)
                                } else {
                                    member.get(name)
                                }
                            })
                        })
                    })
                    .map(|(k, v)| (*k, v.clone()))
                    .collect();
                drop(state);
                if let Some(sortby) = &sortby {
                    selected.sort_by(|(ka, a), (kb, b)| {
                        sortby.ordering(|field| {
                            if field == "@key" {
                                ka.cmp(kb)
                            } else {
                                order(a.get(field), b.get(field))
                            }
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
        if total == 0 && self.config.realism.empty_collections_as_204 {
            return Ok(Answer::empty(204));
        }
        let item_schema = self
            .routes
            .member_schemas
            .get(store)
            .unwrap_or(&Value::Null);
        let members = page
            .iter()
            .map(|(key, fields)| {
                render::member(&self.spec, item_schema, collection_uri, *key, fields)
            })
            .collect();
        let counted = total + usize::from(self.has(Deviation::MiscountCollection));
        let body = render::collection(
            envelope,
            member_name,
            collection_uri,
            count.as_deref(),
            counted,
            members,
        );
        Ok(self.success(call, variant.success_status, Some(body)))
    }
}

/// A parsed query parameter, or the answer refusing it; `lenient` drops a malformed one.
fn checked<T>(
    parsed: Option<Result<T, QueryError>>,
    lenient: bool,
    refuse: impl Fn(QueryError) -> Answer,
) -> Result<Option<T>, Answer> {
    match parsed.transpose() {
        Ok(value) => Ok(value),
        Err(_) if lenient => Ok(None),
        Err(error) => Err(refuse(error)),
    }
}
