//! Links and the common request bodies in one call each, as inherent constructors of the
//! generated types: a member's `{"@href"}` from its id, a deploy to these devices (image or
//! JAM), a discovery of a host, an address, a range or a subnet, an RPC on a device.
//!
//! Hand-written beside the generated types: the forms are the spec's (`Link`,
//! `ExecDeployRequest`, `DiscoverDevicesRequest`, `RpcRequest`), the shortcuts are not.

use crate::{Client, types};

impl types::Link {
    /// The member `id` of the collection at `collection_path` (`/script-management/scripts`,
    /// as the spec's paths write it): `{"@href": "/api/space/script-management/scripts/ID"}`.
    pub fn member(collection_path: &str, id: i64) -> Self {
        let collection = collection_path.trim_end_matches('/');
        Self {
            href: format!("{}{collection}/{id}", Client::BASE_PATH),
        }
    }

    /// A managed device by its id, as exec-deploy and exec-scripts name their targets.
    pub fn device(id: i64) -> Self {
        Self::member("/device-management/devices", id)
    }

    /// A script by its id, as exec-scripts names the script it runs.
    pub fn script(id: i64) -> Self {
        Self::member("/script-management/scripts", id)
    }
}

#[cfg(feature = "software-management")]
impl types::DeviceReferenceList {
    /// The devices of `ids`, in that order.
    pub fn of(ids: impl IntoIterator<Item = i64>) -> Self {
        Self {
            device: ids.into_iter().map(types::Link::device).collect(),
        }
    }
}

#[cfg(feature = "software-management")]
impl types::ExecDeployRequest {
    /// Deploys the package to the devices of `ids`, with the server's default options:
    /// `client.exec_deploy().package_id(p).body(ExecDeployRequest::to_devices([d1, d2]))`.
    pub fn to_devices(ids: impl IntoIterator<Item = i64>) -> Self {
        Self {
            exec_deploy: types::ExecDeployRequestExecDeploy {
                devices: types::DeviceReferenceList::of(ids),
                deploy_options: None,
            },
        }
    }

    /// The same deploy with `options`.
    pub fn with_options(mut self, options: types::ExecDeployOptions) -> Self {
        self.exec_deploy.deploy_options = Some(options);
        self
    }
}

#[cfg(feature = "software-management")]
impl types::ExecDeployJamRequest {
    /// Deploys the JAM package to the devices of `ids`, with the server's default options.
    pub fn to_devices(ids: impl IntoIterator<Item = i64>) -> Self {
        Self {
            exec_deploy_jam_request: types::ExecDeployJamRequestExecDeployJamRequest {
                devices: types::DeviceReferenceList::of(ids),
                deploy_options: None,
            },
        }
    }

    /// The same deploy with `options`.
    pub fn with_options(mut self, options: types::ExecDeployJamOptions) -> Self {
        self.exec_deploy_jam_request.deploy_options = Some(options);
        self
    }
}

#[cfg(feature = "device-management")]
impl types::DiscoverDevicesRequest {
    /// Discovers the device of host name `name`.
    pub fn host(name: impl Into<String>) -> Self {
        Self::of(types::DiscoverDevices {
            host_name_discovery_target: Some(types::DiscoverDevicesHostNameDiscoveryTarget {
                host_name: name.into(),
            }),
            ..Default::default()
        })
    }

    /// Discovers the device at `address`.
    pub fn ip(address: impl Into<String>) -> Self {
        Self::of(types::DiscoverDevices {
            ip_address_discovery_target: Some(types::DiscoverDevicesIpAddressDiscoveryTarget {
                ip_address: address.into(),
            }),
            ..Default::default()
        })
    }

    /// Discovers the devices from address `lower` to address `upper`.
    pub fn ip_range(lower: impl Into<String>, upper: impl Into<String>) -> Self {
        Self::of(types::DiscoverDevices {
            ip_range_discovery_target: Some(types::DiscoverDevicesIpRangeDiscoveryTarget {
                lower_ip: lower.into(),
                upper_ip: upper.into(),
            }),
            ..Default::default()
        })
    }

    /// Discovers the devices of the subnet `base` / `mask` (`192.0.2.0`, `255.255.255.0`).
    pub fn subnet(base: impl Into<String>, mask: impl Into<String>) -> Self {
        Self::of(types::DiscoverDevices {
            ip_subnet_discovery_target: Some(types::DiscoverDevicesIpSubnetDiscoveryTarget {
                base_ip: base.into(),
                subnet_mask: mask.into(),
            }),
            ..Default::default()
        })
    }

    /// The devices found are reached over SSH as `user`.
    pub fn with_ssh_credential(
        mut self,
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.discover_devices.ssh_credential = Some(types::DiscoverDevicesSshCredential {
            user_name: Some(user.into()),
            password: Some(password.into()),
        });
        self
    }

    fn of(discover_devices: types::DiscoverDevices) -> Self {
        Self { discover_devices }
    }
}

#[cfg(feature = "device-management")]
impl types::RpcRequest {
    /// Runs the RPCs of `commands`, each as JSON text without an `rpc` wrapper
    /// (`{"get-interface-information":{"terse":""}}`), as exec-rpc version 3 takes them.
    pub fn commands(commands: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            netconf: types::RpcRequestNetconf {
                rpc_commands: types::RpcRequestNetconfRpcCommands {
                    rpc_command: commands.into_iter().map(Into::into).collect(),
                },
            },
        }
    }

    /// Runs the RPC `name` without arguments:
    /// `client.exec_rpc().device_id(d).body(RpcRequest::named("get-system-information"))`.
    pub fn named(name: &str) -> Self {
        Self::commands([Self::command_named(name)])
    }

    /// The JSON text of the RPC `name` without arguments: `{"get-system-information":""}`.
    pub fn command_named(name: &str) -> String {
        serde_json::json!({ name: "" }).to_string()
    }
}
