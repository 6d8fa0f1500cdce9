//! The session cookies a login answer sets, read from `Set-Cookie`: one rule for the client
//! and for `check-server`.

use reqwest::header::{HeaderMap, HeaderValue, SET_COOKIE};

/// A `Cookie` header value from every `Set-Cookie` in `headers`. Junos Space folds
/// `JSESSIONIDSSO` and `JSESSIONID` into one header separated by a comma, and a comma also
/// appears inside `Expires=Wed, 21 Oct ...`: a comma starts a new cookie only when the text
/// after it begins with `name=`.
pub fn session_cookie(headers: &HeaderMap) -> Option<HeaderValue> {
    let mut pairs = Vec::new();
    for value in headers.get_all(SET_COOKIE) {
        let Ok(text) = value.to_str() else { continue };
        for piece in text.split(',') {
            let first = piece.split(';').next().unwrap_or_default().trim();
            let Some((name, _)) = first.split_once('=') else {
                continue;
            };
            let is_cookie = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c));
            if is_cookie {
                pairs.push(first.to_owned());
            }
        }
    }
    if pairs.is_empty() {
        return None;
    }
    let mut header = HeaderValue::try_from(pairs.join("; ")).ok()?;
    header.set_sensitive(true);
    Some(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folded_set_cookie_gives_both_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            SET_COOKIE,
            HeaderValue::from_static(
                "JSESSIONIDSSO=AB12; Path=/api/space/user-management; Secure, \
                 JSESSIONID=cd34.node1; Path=/api/space/user-management; Expires=Wed, 21 Oct 2026 07:28:00 GMT",
            ),
        );
        let cookie = session_cookie(&headers).expect("cookies");
        assert_eq!(
            cookie.to_str().expect("ASCII"),
            "JSESSIONIDSSO=AB12; JSESSIONID=cd34.node1"
        );
        assert!(cookie.is_sensitive());
        assert!(session_cookie(&HeaderMap::new()).is_none());
    }

    #[test]
    fn pieces_that_are_not_cookies_are_left_out() {
        let mut headers = HeaderMap::new();
        for value in ["JSESSIONID=cd34", "not a cookie=1; Path=/", "=no-name"] {
            headers.append(SET_COOKIE, HeaderValue::from_static(value));
        }
        let cookie = session_cookie(&headers).expect("one cookie");
        assert_eq!(cookie.to_str().expect("ASCII"), "JSESSIONID=cd34");
        let mut none = HeaderMap::new();
        none.append(SET_COOKIE, HeaderValue::from_static("bad name=1"));
        assert!(session_cookie(&none).is_none());
    }
}
