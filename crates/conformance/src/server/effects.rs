//! What a write can change, found through the spec, and the members of those collections
//! before and after it: the jobs its answer names (`x-identifies` leads to the job read, whose
//! collection is one level up), the collection `x-adds-member-to` names, and the collection a
//! write adds to at once, by a POST to the path the spec lists it at (a tag, a tag's targets).
//!
//! A refused write must leave them as they were, a discovery whose job succeeded must have
//! added a member, and so must a POST that adds to its collection at once. Each snapshot reads every watched collection whole; on a busy server
//! another user's job between two snapshots shows as a change, which the report names so a
//! person can tell.

use std::collections::{BTreeMap, BTreeSet};

use junos_space_model::Api;
use junos_space_model::api::{Collection, HttpMethod, Operation};

use super::plan;
use super::resolve::fill_only_parameter;
use super::semantics::{Listing, member_ids};
use super::target::{Auth, Exchange, Request, Target, own_base};

/// A collection a write can change: the operation that lists it, and its shape.
#[derive(Clone)]
pub struct Watched<'a> {
    pub operation: &'a Operation,
    pub collection: &'a Collection,
    /// Where it is read, below the API URL: the listing's path, its parameters filled in for
    /// a collection below a member (the targets of the tag a write adds to).
    pub path: String,
    /// Whether a member comes the moment the server takes the request (the job its task
    /// names, the member a POST adds to its collection), rather than when that job ends (the
    /// device a discovery adds).
    pub filled_when_taken: bool,
}

/// The collection `write` adds to at once: a POST that starts no job, to a path the spec lists
/// a collection at (`createTag` to the tags, `addTagTarget` to a tag's targets).
pub fn adds_at_once<'a>(api: &'a Api, write: &Operation) -> Option<&'a Operation> {
    if write.method != HttpMethod::Post || write.starts_job() {
        return None;
    }
    api.operations()
        .iter()
        .filter(|o| o.method == HttpMethod::Get && o.path == write.path)
        .find(|o| plan::collection(o).is_some())
}

/// The collections `write` can change, each once: those of the members its success answers
/// name, the one it adds members to, and the one it adds to at once, which is read at
/// `write_path` (the write's own path, its parameters filled in).
pub fn watched<'a>(api: &'a Api, write: &Operation, write_path: &str) -> Vec<Watched<'a>> {
    let named_reads = write
        .names
        .iter()
        .filter_map(|id| api.operation(id))
        .filter_map(|read| {
            read.path
                .rsplit_once('/')
                .map(|(parent, _)| parent.to_owned())
        });
    let mut paths: Vec<(String, bool)> = named_reads.map(|path| (path, true)).collect();
    paths.extend(write.adds_member_to.clone().map(|path| (path, false)));
    let mut found: Vec<Watched<'a>> = Vec::new();
    for (path, filled_when_taken) in paths {
        let listing = api
            .operations()
            .iter()
            .filter(|o| o.method == HttpMethod::Get && o.path == path && !o.path.contains('{'))
            .find_map(|o| plan::collection(o).map(|collection| (o, collection)));
        if let Some((operation, collection)) = listing
            && !found.iter().any(|w| w.operation.id == operation.id)
        {
            found.push(Watched {
                operation,
                collection,
                path: operation.path.clone(),
                filled_when_taken,
            });
        }
    }
    if let Some(listing) = adds_at_once(api, write)
        && let Some(collection) = plan::collection(listing)
        && !found.iter().any(|w| w.operation.id == listing.id)
    {
        found.push(Watched {
            operation: listing,
            collection,
            path: write_path.to_owned(),
            filled_when_taken: true,
        });
    }
    found
}

/// The members' ids of each watched collection, by its operationId.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<String, BTreeSet<String>>);

impl Snapshot {
    /// Reads every watched collection whole; `Err` says which one could not be read.
    pub async fn take(watched: &[Watched<'_>], target: &Target) -> Result<Self, String> {
        let mut members = BTreeMap::new();
        for watched in watched {
            let listing = Listing {
                operation: watched.operation,
                collection: watched.collection,
                path: &watched.path,
            };
            let ids = member_ids(&listing, target)
                .await
                .map_err(|why| format!("{}: {why}", watched.operation.id))?;
            members.insert(watched.operation.id.clone(), ids);
        }
        Ok(Self(members))
    }

    /// How `after` differs from this snapshot, one line per changed collection.
    pub fn changes(&self, after: &Snapshot) -> Vec<String> {
        self.0
            .iter()
            .filter_map(|(id, before)| {
                let now = after.0.get(id)?;
                let added: Vec<&str> = now.difference(before).map(String::as_str).collect();
                let removed: Vec<&str> = before.difference(now).map(String::as_str).collect();
                let mut change = Vec::new();
                if !added.is_empty() {
                    change.push(format!("gained {}", added.join(", ")));
                }
                if !removed.is_empty() {
                    change.push(format!("lost {}", removed.join(", ")));
                }
                (!change.is_empty()).then(|| format!("{id} {}", change.join(" and ")))
            })
            .collect()
    }

    /// Cancels each job `after` holds that this snapshot lacks, through the operation that
    /// cancels a job of its collection (`x-cancels-job`); one line per job saying whether the
    /// server cancelled it (a job that has started cannot be).
    pub async fn cancel_started(
        &self,
        after: &Snapshot,
        api: &Api,
        target: &Target,
    ) -> Vec<String> {
        let mut said = Vec::new();
        for (listing_id, now) in &after.0 {
            let Some(listing) = api.operation(listing_id) else {
                continue;
            };
            let member_prefix = format!("{}/{{", listing.path);
            let Some(cancel) = api
                .operations()
                .iter()
                .find(|o| o.cancels_job && o.path.starts_with(&member_prefix))
            else {
                continue;
            };
            let before = self.0.get(listing_id);
            for id in now
                .iter()
                .filter(|id| before.is_none_or(|b| !b.contains(*id)))
            {
                let path = fill_only_parameter(&cancel.path, id);
                let request = Request {
                    method: cancel.method.as_str(),
                    path,
                    base: own_base(cancel),
                    accept: cancel.accept_header(),
                    content_type: None,
                    body: None,
                    auth: Auth::Account,
                    session: None,
                };
                let outcome = match target.send(&request).await {
                    Exchange::Answered { status, .. } if (200..300).contains(&status) => {
                        "cancelled".to_owned()
                    }
                    Exchange::Answered { status, .. } => {
                        format!("not cancelled ({status}: it has started, or cannot be)")
                    }
                    Exchange::NoAnswer(why) => format!("not cancelled (no answer: {why})"),
                };
                said.push(format!("{} {id}: {outcome}", listing_id));
            }
        }
        said
    }

    /// The members of `operation_id`'s collection in `after` that this snapshot lacks.
    pub fn added(&self, after: &Snapshot, operation_id: &str) -> Vec<String> {
        let empty = BTreeSet::new();
        let before = self.0.get(operation_id).unwrap_or(&empty);
        after
            .0
            .get(operation_id)
            .map(|now| now.difference(before).cloned().collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watched_ids(id: &str) -> Vec<String> {
        let api = Api::bundled().expect("the bundled spec reads");
        let write = api.operation(id).expect("the operation");
        watched(api, write, &write.path)
            .iter()
            .map(|w| w.operation.id.clone())
            .collect()
    }

    #[test]
    fn a_write_watches_the_jobs_it_names_and_the_collection_it_adds_to() {
        assert_eq!(watched_ids("discoverDevice"), ["listJobs", "listDevices"]);
        assert_eq!(watched_ids("execRpc"), ["listJobs"]);
        // A POST to a collection's path adds to it at once.
        assert_eq!(watched_ids("createTag"), ["listTags"]);
        assert_eq!(watched_ids("addTagTargets"), ["listTagTargets"]);
        // The login's answer names no member, and an update adds none.
        assert!(watched_ids("login").is_empty());
        assert!(watched_ids("updateTag").is_empty());
    }

    #[test]
    fn changes_name_what_was_gained_and_lost() {
        let set = |ids: &[&str]| ids.iter().map(|id| id.to_string()).collect();
        let before = Snapshot(BTreeMap::from([("listJobs".to_owned(), set(&["1", "2"]))]));
        let after = Snapshot(BTreeMap::from([("listJobs".to_owned(), set(&["2", "3"]))]));
        assert_eq!(before.changes(&after), ["listJobs gained 3 and lost 1"]);
        assert!(before.changes(&before).is_empty());
        assert_eq!(before.added(&after, "listJobs"), ["3"]);
    }
}
