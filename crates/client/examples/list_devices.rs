//! Lists the Junos devices whose name starts with `mx`, page by page.
//!
//! `JUNOS_SPACE_URL=https://space JUNOS_SPACE_USER=... JUNOS_SPACE_PASSWORD=... \
//!  cargo run -p junos-space --example list_devices`

use futures_util::TryStreamExt as _;
use junos_space::prelude::*;
use junos_space::{Client, Filter};

#[tokio::main]
async fn main() -> junos_space::Result<()> {
    let client = Client::builder().from_env().build()?;
    let filter = Filter::eq("deviceFamily", "junos").and(Filter::starts_with("name", "mx"));
    let mut devices = client.list_devices().filter(filter).items(200);
    while let Some(device) = devices.try_next().await? {
        println!(
            "{:>10}  {:<30} {:<16} {}",
            device.key,
            device.name,
            device.ip_addr.as_deref().unwrap_or("-"),
            device.platform.as_deref().unwrap_or("-"),
        );
    }
    Ok(())
}
