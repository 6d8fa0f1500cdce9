//! What Juniper's own clients send, as data: each request of Juniper's Ansible collection
//! (SAC) byte for byte, and what SAC needs back (`data/juniper-clients.json`, from
//! `../shared/juniper-clients-requests.md`). A server that refuses them refuses Juniper's
//! client, so these are facts about the server, not decisions of this project.
//!
//! The requests are templates: `{name}` stands for a value of the server under test (a device
//! it lists, the job a discovery started), filled by [`requests::ClientRequest::filled`].
//!
//! [`requests`] reads them; [`replay`] sends them to a server and says what the client
//! missed.

pub mod replay;
pub mod requests;
