//! The names progenitor gives methods and arguments, so spec names can be matched to them.

use unicode_ident::is_xid_continue;

/// progenitor's snake case: characters outside identifiers become word breaks, quotes vanish,
/// then heck's snake case (`listDevices` → `list_devices`, `package_id__` → `package_id`).
pub fn progenitor_snake_case(name: &str) -> String {
    use heck::ToSnakeCase;
    name.replace('\'', "")
        .replace(|c: char| !is_xid_continue(c), "-")
        .to_snake_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_progenitor_names() {
        assert_eq!(progenitor_snake_case("listDevices"), "list_devices");
        assert_eq!(progenitor_snake_case("execDeployJam"), "exec_deploy_jam");
        assert_eq!(progenitor_snake_case("package_id__"), "package_id");
        assert_eq!(progenitor_snake_case("@key"), "key");
    }
}
