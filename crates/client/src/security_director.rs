//! Security Director's policy changes in a few calls: a firewall rule written from the
//! objects it uses ([`FirewallRule`]), the rule group a device policy's own rules go in, and a
//! change made under the policy's lock ([`SecurityDirectorExt`]).
//!
//! SD's lock belongs to the login session that took it, not to the user (SDAPI replays the
//! lock's session cookie on every change and on the unlock): the lock, the changes and the
//! unlock are `x-session: within` in `spec/`, so they carry this client's session cookie.
//! [`SecurityDirectorExt::with_policy_lock`] opens a session when the client holds none, and
//! gives the lock back whatever the change came to.

use std::future::Future;

use junos_space_api::Client;
use junos_space_runtime::{Error, Result};

use crate::collections::CollectionExt as _;
use crate::session::SessionExt as _;
use crate::types;

/// The `rule-group-type` of the group that holds a device policy's own rules, inside its
/// `ZONE` group (SDAPI `get_policy`, YAPT-151).
const DEVICE_GROUP: &str = "DEVICE";
/// The `rule-group-type` of a policy's zone rules, the top group of a device policy.
const ZONE_GROUP: &str = "ZONE";

/// Security Director's policy workflow on the generated [`Client`]:
/// `use junos_space::prelude::*`.
pub trait SecurityDirectorExt {
    /// Runs `change` while firewall policy `policy_id` (generation 1) is locked for this
    /// client's session, then unlocks it, whatever `change` came to; a client without a
    /// session logs in first. `change`'s error comes first; an unlock that fails after a
    /// change that succeeded is the error.
    fn with_policy_lock<T, F, Fut>(
        &self,
        policy_id: i64,
        change: F,
    ) -> impl Future<Output = Result<T>> + Send
    where
        T: Send,
        F: FnOnce() -> Fut + Send,
        Fut: Future<Output = Result<T>> + Send;

    /// The id of the rule group a device policy's own rules go in: the `DEVICE` group inside
    /// the policy's `ZONE` group (`rule-group-id` of a [`FirewallRule`]).
    fn device_rule_group(&self, policy_id: i64) -> impl Future<Output = Result<i64>> + Send;
}

impl SecurityDirectorExt for Client {
    async fn with_policy_lock<T, F, Fut>(&self, policy_id: i64, change: F) -> Result<T>
    where
        T: Send,
        F: FnOnce() -> Fut + Send,
        Fut: Future<Output = Result<T>> + Send,
    {
        if !self.has_session() {
            self.login().send().await?;
        }
        self.lock_sd_firewall_policy_v1()
            .policy_id(policy_id)
            .send()
            .await?;
        let changed = change().await;
        let unlocked = self
            .unlock_sd_firewall_policy_v1()
            .policy_id(policy_id)
            .send()
            .await;
        let value = changed?;
        unlocked?;
        Ok(value)
    }

    async fn device_rule_group(&self, policy_id: i64) -> Result<i64> {
        let groups = self
            .list_sd_firewall_rule_groups_v1()
            .policy_id(policy_id)
            .list()
            .await?;
        let zone = group_of(&groups, ZONE_GROUP).ok_or_else(|| {
            Error::Config(format!(
                "firewall policy {policy_id} lists no {ZONE_GROUP} rule group: is it a device policy?"
            ))
        })?;
        let members = self
            .list_sd_firewall_rule_group_members_v1()
            .rule_group_id(zone)
            .list()
            .await?;
        group_of(&members, DEVICE_GROUP).ok_or_else(|| {
            Error::Config(format!(
                "the {ZONE_GROUP} group {zone} of firewall policy {policy_id} holds no \
                 {DEVICE_GROUP} rule group"
            ))
        })
    }
}

/// The id of the first rule group of `kind` among `rules`.
fn group_of(rules: &[types::SdFirewallRuleV1], kind: &str) -> Option<i64> {
    rules
        .iter()
        .find(|rule| rule.rule_group_type.as_deref() == Some(kind))
        .and_then(|rule| rule.id)
}

/// A firewall rule as a person states it (from a zone to a zone, these addresses, these
/// services: permit or deny), written as modify-rules adds it: `FirewallRule::permit("web")
/// .from_zone("trust").to_zone("untrust").source(id, "branch-lan").service(id, "https")
/// .added_to(group)`.
#[derive(Debug, Clone, PartialEq)]
pub struct FirewallRule {
    name: String,
    action: &'static str,
    from_zones: Vec<String>,
    to_zones: Vec<String>,
    sources: Vec<(i64, String)>,
    destinations: Vec<(i64, String)>,
    services: Vec<(i64, String)>,
    description: Option<String>,
}

impl FirewallRule {
    /// A rule named `name` that permits what it matches.
    pub fn permit(name: impl Into<String>) -> Self {
        Self::new(name, "PERMIT")
    }

    /// A rule named `name` that denies what it matches.
    pub fn deny(name: impl Into<String>) -> Self {
        Self::new(name, "DENY")
    }

    fn new(name: impl Into<String>, action: &'static str) -> Self {
        Self {
            name: name.into(),
            action,
            from_zones: Vec::new(),
            to_zones: Vec::new(),
            sources: Vec::new(),
            destinations: Vec::new(),
            services: Vec::new(),
            description: None,
        }
    }

    /// Matches traffic from zone `zone` (repeatable).
    pub fn from_zone(mut self, zone: impl Into<String>) -> Self {
        self.from_zones.push(zone.into());
        self
    }

    /// Matches traffic to zone `zone` (repeatable).
    pub fn to_zone(mut self, zone: impl Into<String>) -> Self {
        self.to_zones.push(zone.into());
        self
    }

    /// Matches traffic from address object `id`, named `name` (repeatable).
    pub fn source(mut self, id: i64, name: impl Into<String>) -> Self {
        self.sources.push((id, name.into()));
        self
    }

    /// Matches traffic to address object `id`, named `name` (repeatable).
    pub fn destination(mut self, id: i64, name: impl Into<String>) -> Self {
        self.destinations.push((id, name.into()));
        self
    }

    /// Matches service object `id`, named `name` (repeatable).
    pub fn service(mut self, id: i64, name: impl Into<String>) -> Self {
        self.services.push((id, name.into()));
        self
    }

    /// Says what the rule is for.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// The rule as modify-rules adds it to rule group `rule_group_id`: a custom rule,
    /// enabled, new (`edit-version` 0), as SDAPI and YAPT-151 send one.
    pub fn added_to(self, rule_group_id: i64) -> types::SdFirewallRuleV1 {
        let zones = |names: Vec<String>| {
            names
                .into_iter()
                .map(|name| types::SdRuleZone {
                    name: Some(name),
                    zone_type: Some("ZONE".to_owned()),
                })
                .collect::<Vec<_>>()
        };
        let addresses = |objects: Vec<(i64, String)>| {
            objects
                .into_iter()
                .map(|(id, name)| types::SdRuleAddressRef {
                    id: Some(id),
                    name: Some(name),
                    address_type: None,
                })
                .collect::<Vec<_>>()
        };
        types::SdFirewallRuleV1 {
            name: Some(self.name),
            description: self.description,
            action: Some(self.action.to_owned()),
            source_zones: Some(types::SdFirewallRuleV1SourceZones {
                source_zone: zones(self.from_zones),
            }),
            destination_zones: Some(types::SdFirewallRuleV1DestinationZones {
                destination_zone: zones(self.to_zones),
            }),
            source_addresses: Some(types::SdFirewallRuleV1SourceAddresses {
                source_address: addresses(self.sources),
            }),
            destination_addresses: Some(types::SdFirewallRuleV1DestinationAddresses {
                destination_address: addresses(self.destinations),
            }),
            services: Some(types::SdFirewallRuleV1Services {
                service: self
                    .services
                    .into_iter()
                    .map(|(id, name)| types::SdNamedRef {
                        id: Some(id),
                        name: Some(name),
                    })
                    .collect(),
            }),
            enabled: Some(true),
            definition_type: Some("CUSTOM".to_owned()),
            rule_group_type: Some("CUSTOM".to_owned()),
            rule_type: Some("RULE".to_owned()),
            rule_group_id: Some(rule_group_id),
            edit_version: Some(0),
            ..Default::default()
        }
    }
}
