//! Deliberate departures from `spec/`, so that a conformance checker can be shown to catch
//! them. Each is declared once below: its name, what it does, and the one stage whose rules it
//! changes and how. Its behaviour is a rule of that stage, so adding a deviation is adding a
//! declaration here and the rule it sets in the one stage it changes; the faithful stages
//! never ask which deviations are on.

use std::fmt;
use std::str::FromStr;

use crate::{answer, behaviour, body, credentials, negotiation};

/// What a deviation changes: the rules of one stage.
#[derive(Clone, Copy)]
pub(crate) enum Change {
    Credentials(fn(&mut credentials::Rules)),
    Negotiation(fn(&mut negotiation::Rules)),
    Body(fn(&mut body::Rules)),
    Behaviour(fn(&mut behaviour::Rules)),
    Answer(fn(&mut answer::Rules)),
}

/// Declares [`Deviation`]: one entry per deviation, with its doc, its command-line name, the
/// stage it changes and the change.
macro_rules! deviations {
    ($(
        $(#[doc = $doc:literal])+
        $variant:ident = $name:literal, $stage:ident: $change:expr;
    )+) => {
        /// A deliberate departure from `spec/`, so that a conformance checker can be shown to
        /// catch it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Deviation {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Deviation {
            /// Every deviation, in a fixed order.
            pub const ALL: [Deviation; [$(Deviation::$variant),+].len()] =
                [$(Deviation::$variant),+];

            /// The command-line name (`wrong-response-version`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }

            /// The stage it changes, and how.
            pub(crate) fn change(self) -> Change {
                match self {
                    $(Self::$variant => Change::$stage($change),)+
                }
            }
        }
    };
}

deviations! {
    /// Answers name their media type with the `version` parameter raised by one.
    WrongResponseVersion = "wrong-response-version",
        Answer: |rules| rules.media_type.push(answer::next_version);
    /// Answers leave out the first property their schema marks `required`.
    MissingRequiredField = "missing-required-field",
        Answer: |rules| rules.body = answer::without_first_required;
    /// Successful answers use a status the operation does not document.
    UndocumentedStatus = "undocumented-status",
        Answer: |rules| rules.status = answer::undocumented_status;
    /// Any `Accept` is served (no 406).
    IgnoreAccept = "ignore-accept",
        Negotiation: |rules| rules.accept = negotiation::first_whatever_sent;
    /// Any `Content-Type` is taken (no 415).
    AcceptAnyContentType = "accept-any-content-type",
        Negotiation: |rules| rules.content_type = negotiation::first_whatever_sent;
    /// Answers name a sibling type of the same service (`devices` ↔ `device`).
    SiblingMediaType = "sibling-media-type",
        Answer: |rules| rules.media_type.push(answer::sibling);
    /// Collections ignore `paging`: every page is the whole collection.
    IgnorePaging = "ignore-paging",
        Behaviour: |rules| rules.query.push(behaviour::without_paging);
    /// A collection's count attribute (`@size`, `@total`) is one more than its members.
    MiscountCollection = "miscount-collection",
        Behaviour: |rules| rules.count = behaviour::one_more;
    /// Collections ignore `filter`: every member is answered.
    IgnoreFilter = "ignore-filter",
        Behaviour: |rules| rules.query.push(behaviour::without_filter);
    /// A known user gets in with any password.
    AnyPassword = "any-password",
        Credentials: |rules| rules.opens = credentials::any_password;
    /// A 401 names the password it was sent.
    EchoPassword = "echo-password",
        Credentials: |rules| rules.refusal = credentials::echoes_password;
    /// A malformed `paging`, `filter` or `sortby` is left out instead of refused with 400.
    LenientQueries = "lenient-queries",
        Behaviour: |rules| rules.query.push(behaviour::without_malformed);
    /// A task's `@href` names a job that does not exist (its `id` is right).
    TaskHrefNowhere = "task-href-nowhere",
        Behaviour: |rules| rules.task_key = behaviour::key_of_no_job;
    /// An asynchronous delete's job succeeds and removes nothing.
    KeepDeleted = "keep-deleted",
        Behaviour: |rules| rules.deleted = behaviour::removes_nothing;
    /// An action on a member that does not exist starts a (failing) job instead of its 404.
    JobForUnknownId = "job-for-unknown-id",
        Behaviour: |rules| rules.unknown_member = behaviour::Unknown::FailingJob;
    /// A request body the schema refuses is taken, and its job started, instead of a 400.
    AcceptInvalidBody = "accept-invalid-body",
        Body: |rules| rules.check = body::takes_any_json;
    /// A discovery's job succeeds and adds no member to the collection it names.
    DiscoveryAddsNothing = "discovery-adds-nothing",
        Behaviour: |rules| rules.adds_to = behaviour::adds_nowhere;
    /// A listed member's `@href` names the next id, not its own.
    MemberHrefNowhere = "member-href-nowhere",
        Behaviour: |rules| rules.listed_member = behaviour::href_to_the_next;
    /// A logout is answered as done, and the session it names stays open.
    LogoutKeepsSession = "logout-keeps-session",
        Behaviour: |rules| rules.end_session = behaviour::keep_session;
    /// A cancel of a job that waits for its schedule is answered as done, and the job runs.
    CancelIgnored = "cancel-ignored",
        Behaviour: |rules| rules.cancel = behaviour::cancel_nothing;
    /// A job's progress-update tells the other outcome than the job itself.
    ProgressDisagrees = "progress-disagrees",
        Behaviour: |rules| rules.part = behaviour::contradicted_outcome;
    /// A job's progress-update tells the job as it stood when it started (INPROGRESS at 0 %),
    /// also after the job itself has ended.
    ProgressLags = "progress-lags",
        Behaviour: |rules| rules.part = behaviour::as_at_the_start;
    /// Every value of a documented vocabulary (`x-vocabulary`: a job's state and status, a
    /// device's connection and managed status) in the answer of one member is answered with
    /// its letters' case swapped.
    OffVocabulary = "off-vocabulary",
        Answer: |rules| rules.body = answer::vocabulary_case_swapped;
    /// Every older version of a type the spec names is served too, as a release that keeps
    /// its deprecated versions (`version=1` beside the spec's `version=2`).
    ServeOlderVersions = "serve-older-versions",
        Negotiation: |rules| {
            rules.read_as = negotiation::older_version_of;
            rules.label_as_asked = true;
        };
    /// Older versions are taken as by serve-older-versions, but answered labelled as the
    /// version the spec names, not the one asked for.
    OlderAnsweredAsNamed = "older-answered-as-named",
        Negotiation: |rules| rules.read_as = negotiation::older_version_of;
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Deviation::ALL`].
#[derive(Debug, thiserror::Error)]
#[error("unknown deviation `{0}`; known: {known}", known = Deviation::ALL.map(Deviation::name).join(", "))]
pub struct UnknownDeviation(pub String);

impl FromStr for Deviation {
    type Err = UnknownDeviation;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|d| d.name() == name)
            .ok_or_else(|| UnknownDeviation(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_deviation_has_one_name_that_reads_back() {
        let mut names: Vec<&str> = Deviation::ALL.iter().map(|d| d.name()).collect();
        for deviation in Deviation::ALL {
            assert_eq!(deviation.name().parse::<Deviation>().ok(), Some(deviation));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Deviation::ALL.len());
        assert!("no-such-deviation".parse::<Deviation>().is_err());
    }
}
