//! A `listDevices` page as a real Junos Space renders it, shared by the benchmarks.

use std::fmt::Write as _;

/// The JSON of a page of `devices` members: the `Device` fields a listing always carries,
/// `@size` and every other `@key` as strings (as real servers send attributes), the rest of
/// the keys as numbers. A page of one member is an object, not an array, as Junos Space
/// renders one-member lists.
pub fn devices_page(devices: usize) -> Vec<u8> {
    const PLATFORMS: [(&str, &str); 4] = [
        ("MX240", "junos"),
        ("SRX340", "junos-es"),
        ("EX4300-48T", "junos-ex"),
        ("QFX5100-48S-6Q", "junos-qfx"),
    ];
    const MANAGED: [&str; 4] = ["In Sync", "Out Of Sync", "Space Changed", "Device Changed"];
    let mut json = String::with_capacity(devices * 480 + 128);
    let _ = write!(
        json,
        r#"{{"devices":{{"@uri":"/api/space/device-management/devices","@size":"{devices}","device":"#
    );
    json.push_str(if devices == 1 { "" } else { "[" });
    for index in 0..devices {
        if index > 0 {
            json.push(',');
        }
        let key = 32_964_647 + index;
        // Alternating the key's spelling exercises both paths of the lenient number decoder.
        let key_json = if index % 2 == 0 {
            format!("\"{key}\"")
        } else {
            key.to_string()
        };
        let (platform, family) = PLATFORMS[index % PLATFORMS.len()];
        let _ = write!(
            json,
            r#"{{"@key":{key_json},"@href":"/api/space/device-management/devices/{key}","#
        );
        let _ = write!(
            json,
            r#""name":"{}-site{:04}-{index}","ipAddr":"10.{}.{}.{}","platform":"{platform}","#,
            platform.to_lowercase(),
            index / 7,
            (index >> 16) & 0xff,
            (index >> 8) & 0xff,
            index & 0xff
        );
        let _ = write!(
            json,
            r#""deviceFamily":"{family}","OSVersion":"21.4R3-S{}.{}","serialNumber":"JN11{index:08X}AFA","#,
            index % 9,
            index % 5
        );
        let _ = write!(
            json,
            r#""connectionStatus":"{}","managedStatus":"{}","domain-name":"Global/site-{}"}}"#,
            if index % 10 == 0 { "down" } else { "up" },
            MANAGED[index % MANAGED.len()],
            index % 50
        );
    }
    json.push_str(if devices == 1 { "}}" } else { "]}}" });
    json.into_bytes()
}
