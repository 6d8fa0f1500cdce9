//! Security Director's common request bodies in one call each, as inherent constructors of
//! the generated types: an address object of each kind, a TCP or UDP service, a modify-rules
//! that adds rules, a publish of policies, and an update of devices' policies.
//!
//! Hand-written beside the generated types, as `bodies.rs` is: the forms are the spec's
//! (`SdAddressRequest`, `SdServiceRequest`, `SdModifyRulesV1Request`,
//! `SdPublishPoliciesRequest`, `SdUpdateDevicesRequest`), the shortcuts are not. The values
//! are what Juniper's SD clients send (SHR's addresses, ZTN's services, SDAPI's modify-rules,
//! publish and update-devices; spec/research/sd-operations.md).

use crate::types;

impl types::SdAddressRequest {
    /// A host address (`IPADDRESS`): `10.1.1.1`.
    pub fn host(name: impl Into<String>, ip: impl Into<String>) -> Self {
        Self::of(name, "IPADDRESS", Some(ip.into()), None)
    }

    /// A network address (`NETWORK`): `10.1.1.0/24`.
    pub fn network(name: impl Into<String>, prefix: impl Into<String>) -> Self {
        Self::of(name, "NETWORK", Some(prefix.into()), None)
    }

    /// An address range (`RANGE`): `first` to `last`, written `first-last`.
    pub fn range(name: impl Into<String>, first: &str, last: &str) -> Self {
        Self::of(name, "RANGE", Some(format!("{first}-{last}")), None)
    }

    /// A wildcard address (`WILDCARD`): `address` under `mask`, written `address/mask`.
    pub fn wildcard(name: impl Into<String>, address: &str, mask: &str) -> Self {
        Self::of(name, "WILDCARD", Some(format!("{address}/{mask}")), None)
    }

    /// A DNS host (`DNS`): the address a name resolves to.
    pub fn dns(name: impl Into<String>, host_name: impl Into<String>) -> Self {
        Self::of(name, "DNS", None, Some(host_name.into()))
    }

    /// An address group (`GROUP`) of address objects, each by id and name.
    pub fn group(
        name: impl Into<String>,
        members: impl IntoIterator<Item = (i64, String)>,
    ) -> Self {
        let mut group = Self::of(name, "GROUP", None, None);
        group.address.members = Some(types::SdMembers {
            member: members
                .into_iter()
                .map(|(id, name)| types::SdMember {
                    id: Some(id),
                    name: Some(name),
                    href: None,
                })
                .collect(),
        });
        group
    }

    /// The same address, saying what it is for.
    pub fn described(mut self, description: impl Into<String>) -> Self {
        self.address.description = Some(description.into());
        self
    }

    fn of(
        name: impl Into<String>,
        address_type: &str,
        ip_address: Option<String>,
        host_name: Option<String>,
    ) -> Self {
        Self {
            address: types::SdAddress {
                name: name.into(),
                address_type: address_type.to_owned(),
                ip_address,
                host_name,
                description: None,
                address_version: None,
                definition_type: None,
                edit_version: None,
                members: None,
                id: None,
                href: None,
                uri: None,
            },
        }
    }
}

impl types::SdServiceRequest {
    /// A TCP service to destination port `port` (a number, or a range `low-high`).
    pub fn tcp(name: impl Into<String>, port: impl Into<String>) -> Self {
        Self::port(name, "PROTOCOL_TCP", port.into())
    }

    /// A UDP service to destination port `port` (a number, or a range `low-high`).
    pub fn udp(name: impl Into<String>, port: impl Into<String>) -> Self {
        Self::port(name, "PROTOCOL_UDP", port.into())
    }

    /// The same service, saying what it is for.
    pub fn described(mut self, description: impl Into<String>) -> Self {
        self.service.description = description.into();
        self
    }

    fn port(name: impl Into<String>, protocol_type: &str, port: String) -> Self {
        let name = name.into();
        Self {
            service: types::SdService {
                protocols: Some(types::SdServiceProtocols {
                    protocol: vec![types::SdServiceProtocol {
                        name: format!("{name}-term"),
                        protocol_type: protocol_type.to_owned(),
                        dst_port: Some(port),
                        description: None,
                        src_port: None,
                        protocol_number: None,
                        alg: None,
                        enable_alg: None,
                        enable_timeout: None,
                        disable_timeout: None,
                        inactivity_timeout: None,
                        inactivity_time_type: None,
                        icmp_code: None,
                        icmp_type: None,
                        msrpc_protocol_type: None,
                        sunrpc_protocol_type: None,
                        rpc_program_number: None,
                    }],
                }),
                name,
                description: String::new(),
                is_group: false,
                application_services: None,
                edit_version: None,
                members: None,
                id: None,
                href: None,
                uri: None,
            },
        }
    }
}

impl types::SdModifyRulesV1Request {
    /// Adds `rules` to policy `policy_id`, whose edit-version is `edit_version` (as last
    /// read: SD refuses a change made to an older copy).
    pub fn adding(
        policy_id: i64,
        edit_version: Option<i64>,
        rules: impl IntoIterator<Item = types::SdFirewallRuleV1>,
    ) -> Self {
        Self {
            modify_rules: types::SdModifyRulesV1RequestModifyRules {
                policy_id,
                edit_version,
                added_rules: Some(types::SdModifyRulesV1RequestModifyRulesAddedRules {
                    added_rule: rules.into_iter().collect(),
                }),
                modified_rules: None,
                deleted_rules: None,
            },
        }
    }
}

impl types::SdPublishPoliciesRequest {
    /// Publishes the firewall policies of `ids`.
    pub fn of(ids: impl IntoIterator<Item = i64>) -> Self {
        Self {
            publish: types::SdPublishPoliciesRequestPublish {
                policy_ids: types::SdPublishPoliciesRequestPublishPolicyIds {
                    policy_id: ids.into_iter().collect(),
                },
            },
        }
    }
}

impl types::SdUpdateDevicesRequest {
    /// Pushes the published firewall policies (service type `POLICY`) to the SD devices of
    /// `sd_ids` (SD's own device ids, not the platform's).
    pub fn policies_to(sd_ids: impl IntoIterator<Item = i64>) -> Self {
        Self {
            update_devices: types::SdUpdateDevicesRequestUpdateDevices {
                sd_ids: types::SdUpdateDevicesRequestUpdateDevicesSdIds {
                    id: sd_ids.into_iter().collect(),
                },
                service_types: types::SdUpdateDevicesRequestUpdateDevicesServiceTypes {
                    service_type: vec!["POLICY".to_owned()],
                },
                update_options: types::SdUpdateDevicesRequestUpdateDevicesUpdateOptions {
                    enable_policy_rematch_srx_only: Some(false),
                    preserve_session_sc_os: None,
                },
            },
        }
    }
}
