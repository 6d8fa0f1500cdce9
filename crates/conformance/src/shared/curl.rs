//! A recorded request rendered as a `curl` command that sends the same bytes to a real Junos
//! Space (`$SPACE_URL` is its base, such as `https://space.example.com`).

use httpmock::prelude::HttpMockRequest;

/// Headers that curl sets on its own, or that only describe the mock's connection.
const LEFT_TO_CURL: &[&str] = &["host", "content-length", "connection", "accept-encoding"];

/// `curl -sS -X METHOD "$SPACE_URL"'/api/space/...' -u "$SPACE_USER" -H ... --data-raw '...'`.
pub fn render(request: &HttpMockRequest) -> String {
    let target = crate::request::origin_form(request.uri_str());
    let mut command = format!(
        "curl -sS -X {} \"$SPACE_URL\"{} -u \"$SPACE_USER\"",
        request.method_str(),
        quote(target)
    );
    for (name, value) in request.headers_vec() {
        if LEFT_TO_CURL.iter().any(|h| name.eq_ignore_ascii_case(h)) {
            continue;
        }
        command.push_str(&format!(" -H {}", quote(&format!("{name}: {value}"))));
    }
    let body = request.body_ref();
    if !body.is_empty() {
        command.push_str(&format!(
            " --data-raw {}",
            quote(&String::from_utf8_lossy(body))
        ));
    }
    command
}

/// Single-quotes `text` for a POSIX shell.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_quotes_survive_the_shell() {
        assert_eq!(quote("name eq 'mx'"), "'name eq '\\''mx'\\'''");
    }
}
