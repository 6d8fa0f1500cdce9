//! What the generated exchanges call on the request they build: an optional query parameter
//! only when it is set.

use progenitor_client::QueryParam;
use serde::Serialize;

/// [`reqwest::RequestBuilder::query`] for an optional parameter, called only when the
/// parameter is set: reqwest takes the URL's query apart and puts it back on every call, set
/// or not, which three unset parameters of a listing make a visible share of a request's cost.
pub trait QueryWhenSet: Sized {
    /// Adds `name=value` when `value` is set, as progenitor's `QueryParam` writes it.
    fn query_when_set<T: Serialize>(self, name: &str, value: &Option<T>) -> Self;
}

impl QueryWhenSet for reqwest::RequestBuilder {
    // Inlined, so that the builder (some 300 bytes) is not copied into and out of a call.
    #[inline]
    fn query_when_set<T: Serialize>(self, name: &str, value: &Option<T>) -> Self {
        match value {
            Some(_) => self.query(&QueryParam::new(name, value)),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_parameter_is_written_and_an_unset_one_leaves_no_trace() {
        let client = reqwest::Client::new();
        let request = client
            .get("https://space.example/api/space/device-management/devices")
            .query_when_set("filter", &Some("(name eq 'a b')".to_owned()))
            .query_when_set::<String>("paging", &None)
            .build()
            .expect("a request");
        assert_eq!(
            request.url().query(),
            Some("filter=%28name+eq+%27a+b%27%29")
        );
        let bare = client
            .get("https://space.example/api/space/device-management/devices")
            .query_when_set::<String>("filter", &None)
            .build()
            .expect("a request");
        assert_eq!(
            bare.url().as_str(),
            "https://space.example/api/space/device-management/devices"
        );
    }
}
