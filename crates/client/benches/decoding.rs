//! Decoding a 10,000-device `listDevices` page: the generated, lenient types against
//! `serde_json::Value`, from the same bytes.
//!
//! `cargo bench -p junos-space --bench decoding` (release). The goal is that the typed
//! decoding is not slower than the untyped one, tolerant deserializers included.

mod support;

use divan::Bencher;
use divan::counter::BytesCount;
use junos_space::types::DeviceList;

const DEVICES: usize = 10_000;

fn main() {
    // Checked once, outside timing: the page decodes, and into every member.
    let page = support::devices_page(DEVICES);
    let typed: DeviceList = serde_json::from_slice(&page).expect("the page decodes");
    let devices = typed.devices.expect("a devices envelope");
    assert_eq!(devices.device.len(), DEVICES);
    assert_eq!(devices.size, DEVICES as i64);
    assert!(
        devices
            .device
            .iter()
            .all(|d| d.key > 0 && d.domain_name.is_some() && d.managed_status.is_some())
    );
    divan::main();
}

#[divan::bench]
fn typed(bencher: Bencher) {
    let page = support::devices_page(DEVICES);
    bencher
        .counter(BytesCount::of_slice(&page))
        .bench_local(|| -> DeviceList {
            serde_json::from_slice(divan::black_box(&page)).expect("decodes")
        });
}

#[divan::bench]
fn value(bencher: Bencher) {
    let page = support::devices_page(DEVICES);
    bencher
        .counter(BytesCount::of_slice(&page))
        .bench_local(|| -> serde_json::Value {
            serde_json::from_slice(divan::black_box(&page)).expect("decodes")
        });
}
