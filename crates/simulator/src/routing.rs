//! Stage 1, routing: a request's method and path to the route that serves them and the values
//! of its path parameters, or the container's 404 (no such path) or 405 (with `Allow`:
//! the path is served, not with this method).
//!
//! Paths are read by their segments, as the web server in front of a real Junos Space reads
//! them: it merges `//` into `/`, and Juniper's Ansible collection asks for
//! `//api/space/...` on every read (`../shared/juniper-clients-requests.md`, row 3).

use crate::outcome::Refusal;
use crate::routes::{Route, RouteTable};

/// What routing hands on: the route, and its path parameters by name as the path spells them.
#[derive(Debug, Clone)]
pub(crate) struct Routed<'r, 'q> {
    pub route: &'r Route,
    pub parameters: Vec<(&'r str, &'q str)>,
}

impl<'q> Routed<'_, 'q> {
    /// The last path parameter, which names the member a member route works on.
    pub fn parameter(&self) -> Option<&'q str> {
        self.parameters.last().map(|(_, value)| *value)
    }
}

const NOT_FOUND: &str = "The requested resource is not available.";

/// The route of `method` on `path`, a whole path: each route's base path, then its own.
pub(crate) fn route<'r, 'q>(
    table: &'r RouteTable,
    method: &str,
    path: &'q str,
) -> Result<Routed<'r, 'q>, Refusal> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let matching: Vec<Routed<'r, 'q>> = table
        .routes
        .iter()
        .filter_map(|route| {
            let parameters = route.matches_whole(&segments)?;
            Some(Routed { route, parameters })
        })
        .collect();
    // The most specific template wins, as the JAX-RS container of a real server picks the
    // resource whose path has the most literal text: `/scripts/exec-scripts` is that POST's
    // path, not a script named `exec-scripts`, so a GET there is 405, not a script read.
    let literals = |routed: &Routed<'_, '_>| routed.route.segments.len() - routed.parameters.len();
    let Some(most) = matching.iter().map(literals).max() else {
        return Err(Refusal::page(404, NOT_FOUND));
    };
    let matching: Vec<Routed<'r, 'q>> = matching
        .into_iter()
        .filter(|routed| literals(routed) == most)
        .collect();
    match matching.iter().find(|r| r.route.method.as_str() == method) {
        Some(routed) => Ok(routed.clone()),
        None => {
            let allow: Vec<&str> = matching.iter().map(|r| r.route.method.as_str()).collect();
            let refusal = Refusal::page(
                405,
                "The specified HTTP method is not allowed for the requested resource.",
            );
            Err(refusal.with_header("allow", allow.join(", ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use junos_space_model::Api;

    #[test]
    fn doubled_slashes_are_merged_as_the_web_tier_merges_them() {
        let api = Api::bundled().expect("the bundled spec reads");
        let table = RouteTable::from_api(api).expect("the bundled spec is served");
        for path in [
            "/api/space/device-management/devices/7",
            "//api/space/device-management/devices/7",
            "/api//space/device-management//devices/7/",
        ] {
            let routed = route(&table, "GET", path).expect("routed");
            assert_eq!(routed.route.first().id, "getDevice", "{path}");
            assert_eq!(routed.parameter(), Some("7"), "{path}");
        }
        // A literal path beats a template that would read it as a member's id.
        let refused = route(
            &table,
            "GET",
            "/api/space/script-management/scripts/exec-scripts",
        )
        .expect_err("exec-scripts takes POST only");
        assert_eq!(refused.status, 405);
        assert_eq!(
            refused
                .headers
                .iter()
                .find(|(name, _)| *name == "allow")
                .map(|(_, v)| v.as_str()),
            Some("POST")
        );
        for elsewhere in ["/api/spaces/device-management/devices", "/space/api/x", "/"] {
            let refused = route(&table, "GET", elsewhere).expect_err("not below the base");
            assert_eq!(refused.status, 404, "{elsewhere}");
        }
    }
}
