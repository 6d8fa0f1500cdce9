//! What the `tags` commands need beyond the resource table: a tag named by id or by name, and
//! the bodies that create a tag and tag devices.

use junos_space::{Client, Filter, types};
use serde_json::{Value, json};

use crate::exit::Failure;

/// The tag `given` names: its id, or its name looked up in one listing and refused when no
/// tag or several have it (a private tag of another user may share a public tag's name).
pub async fn id(client: &Client, given: &str) -> Result<i64, Failure> {
    let listing = client.list_tags().filter(Filter::eq("name", given));
    super::member_named(
        listing,
        "tag",
        given,
        |tag: &types::TagSummary| &tag.name,
        |tag| tag.id,
    )
    .await
}

/// The createTag body: a tag `name`, private unless `public`.
pub fn new_tag(name: &str, public: bool) -> Value {
    let access = if public { "public" } else { "private" };
    json!({ "tag": { "name": name, "type": access } })
}

/// The addTagTargets body tagging `devices`, each by its link.
pub fn devices_tagged(devices: &[i64]) -> Value {
    let targets: Vec<types::Link> = devices.iter().copied().map(types::Link::device).collect();
    json!({ "targets": { "target": targets } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bodies_are_the_spec_forms() {
        assert_eq!(
            new_tag("core", false),
            json!({"tag": {"name": "core", "type": "private"}})
        );
        let tagged = devices_tagged(&[131_073, 131_074]);
        assert_eq!(
            tagged["targets"]["target"][1]["@href"],
            "/api/space/device-management/devices/131074"
        );
        let body: types::TagTargetsRequest = serde_json::from_value(tagged).expect("the type");
        assert_eq!(body.targets.target.len(), 2);
    }
}
