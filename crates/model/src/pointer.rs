//! JSON pointers (RFC 6901), the way every finding names its place in the document.

/// Escapes one reference token: `~` becomes `~0` and `/` becomes `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends `token` to `pointer` as one escaped reference token.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// Turns a path of unescaped tokens into a pointer; the empty path is the whole document.
pub fn from_tokens<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    tokens
        .into_iter()
        .fold(String::new(), |pointer, token| join(&pointer, token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_slashes_and_tildes_as_rfc_6901_says() {
        assert_eq!(
            from_tokens(["paths", "/device-management/devices", "get"]),
            "/paths/~1device-management~1devices/get"
        );
        assert_eq!(join("/a", "x~y"), "/a/x~0y");
        assert_eq!(from_tokens([]), "");
    }

    #[test]
    fn escaped_pointer_resolves_with_serde_json() {
        let document = serde_json::json!({"paths": {"/a/b": {"get": 1}}});
        let pointer = from_tokens(["paths", "/a/b", "get"]);
        assert_eq!(document.pointer(&pointer), Some(&serde_json::json!(1)));
    }
}
