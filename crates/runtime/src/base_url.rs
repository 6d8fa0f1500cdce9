//! The one rule for the base URL users give: either the server's origin (with any proxy
//! prefix) or its API URL, never with credentials in it.

/// Why a base URL is refused. The message never repeats a URL that holds credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrlError(String);

impl std::fmt::Display for BaseUrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BaseUrlError {}

/// `https://host[:port][/prefix][/<api_path>][/]` → `https://host[:port][/prefix]<api_path>`,
/// where `api_path` is the API's base path (`/api/space`).
pub fn api_url(url: &str, api_path: &str) -> Result<String, BaseUrlError> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|error| BaseUrlError(format!("base URL `{url}`: {error}")))?;
    if parsed.password().is_some() || !parsed.username().is_empty() {
        // The URL is not repeated: it holds a password.
        return Err(BaseUrlError(
            "the base URL holds credentials: give them separately".into(),
        ));
    }
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(BaseUrlError(format!("base URL `{url}` is not http(s)")));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(BaseUrlError(format!(
            "base URL `{url}` has a query or fragment"
        )));
    }
    let path = parsed.path().trim_end_matches('/');
    let path = if path.ends_with(api_path) {
        path.to_owned()
    } else {
        format!("{path}{api_path}")
    };
    let origin = parsed.origin().ascii_serialization();
    Ok(format!("{origin}{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = "/api/space";

    #[test]
    fn both_base_url_forms_mean_the_same() {
        for url in [
            "https://space.example.com",
            "https://space.example.com/",
            "https://space.example.com/api/space",
            "https://space.example.com/api/space/",
        ] {
            assert_eq!(
                api_url(url, API).expect("valid"),
                "https://space.example.com/api/space"
            );
        }
        assert_eq!(
            api_url("https://proxy:8443/space1", API).expect("valid"),
            "https://proxy:8443/space1/api/space"
        );
    }

    #[test]
    fn bad_urls_are_refused_without_repeating_credentials() {
        let error = api_url("https://super:hunter2@space", API).expect_err("credentials");
        assert!(!error.to_string().contains("hunter2"), "{error}");
        for url in [
            "space.example.com",
            "ftp://space",
            "https://space/?a=b",
            "https://space/#x",
        ] {
            assert!(api_url(url, API).is_err(), "{url}");
        }
    }
}
