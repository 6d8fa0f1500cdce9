//! Stage 1, routing: a request's method and path to the route that serves them and the value
//! of its last path parameter, or the container's 404 (no such path) or 405 (with `Allow`:
//! the path is served, not with this method).

use crate::outcome::Refusal;
use crate::routes::{Route, RouteTable};

/// What routing hands on: the route, and the last path parameter as the path spells it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Routed<'r, 'q> {
    pub route: &'r Route,
    pub parameter: Option<&'q str>,
}

const NOT_FOUND: &str = "The requested resource is not available.";

/// The route of `method` on `path`, a path below `base_path`.
pub(crate) fn route<'r, 'q>(
    table: &'r RouteTable,
    base_path: &str,
    method: &str,
    path: &'q str,
) -> Result<Routed<'r, 'q>, Refusal> {
    let below_base = path
        .strip_prefix(base_path)
        .ok_or_else(|| Refusal::page(404, NOT_FOUND))?;
    let segments: Vec<&str> = below_base.split('/').filter(|s| !s.is_empty()).collect();
    let matching: Vec<Routed<'r, 'q>> = table
        .routes
        .iter()
        .filter_map(|route| {
            let parameter = route.matches(&segments)?;
            Some(Routed { route, parameter })
        })
        .collect();
    if matching.is_empty() {
        return Err(Refusal::page(404, NOT_FOUND));
    }
    match matching.iter().find(|r| r.route.method.as_str() == method) {
        Some(routed) => Ok(*routed),
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
