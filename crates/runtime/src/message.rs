//! A one-line, human message from an error body, whatever its format: Junos Space answers
//! errors as HTML pages (JBoss), plain text, XML or JSON.

/// Messages longer than this are cut: they end up in logs and terminals.
const MESSAGE_LIMIT: usize = 300;

/// The readable part of `body`, or the status's reason phrase when the body says nothing.
pub(crate) fn readable_message(status: u16, media_type: Option<&str>, body: &str) -> String {
    let media_type = media_type.unwrap_or_default().to_ascii_lowercase();
    let trimmed = body.trim();
    let looks_like_html = {
        let start = trimmed.get(..trimmed.len().min(64)).unwrap_or_default();
        let start = start.to_ascii_lowercase();
        start.starts_with("<!doctype html") || start.starts_with("<html")
    };
    let message = if media_type.contains("html") || looks_like_html {
        html_message(trimmed)
    } else if media_type.contains("json") || trimmed.starts_with('{') {
        json_message(trimmed)
    } else if media_type.contains("xml") || trimmed.starts_with('<') {
        collapse(&strip_tags(trimmed))
    } else {
        collapse(trimmed)
    };
    if message.is_empty() {
        reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no message")
            .to_owned()
    } else {
        shorten(message)
    }
}

/// `<title>` and `<h1>` of an error page (once each when they repeat), else its text.
fn html_message(html: &str) -> String {
    let title = element_text(html, "title");
    let heading = element_text(html, "h1");
    match (title, heading) {
        (Some(title), Some(heading)) if heading.contains(&title) => heading,
        (Some(title), Some(heading)) if title.contains(&heading) => title,
        (Some(title), Some(heading)) => format!("{title}: {heading}"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => collapse(&strip_tags(html)),
    }
}

fn element_text(html: &str, name: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let open = lower.find(&format!("<{name}"))?;
    let content_start = open + lower[open..].find('>')? + 1;
    let content_end = content_start + lower[content_start..].find(&format!("</{name}"))?;
    let text = collapse(&decode_entities(&strip_tags(
        html.get(content_start..content_end)?,
    )));
    (!text.is_empty()).then_some(text)
}

/// A JSON body's `message` (also under `error`), else the compact body.
fn json_message(text: &str) -> String {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return collapse(text);
    };
    let candidates = [
        "/message",
        "/error/message",
        "/Error/message",
        "/errorMessage",
        "/error",
        "/detail",
    ];
    candidates
        .iter()
        .find_map(|at| value.pointer(at).and_then(serde_json::Value::as_str))
        .map(collapse)
        .unwrap_or_else(|| collapse(&value.to_string()))
}

fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    let lower = text.to_ascii_lowercase();
    let mut skip_until: Option<&str> = None;
    for (at, c) in text.char_indices() {
        if let Some(end) = skip_until {
            if lower[at..].starts_with(end) {
                skip_until = None;
                in_tag = true;
            }
            continue;
        }
        match c {
            '<' => {
                // Script and style content is code, not message.
                if lower[at..].starts_with("<script") {
                    skip_until = Some("</script");
                } else if lower[at..].starts_with("<style") {
                    skip_until = Some("</style");
                }
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out)
}

/// `text` with the entities HTML and XML answers use read (`&lt;`, `&amp;`, `&apos;`, ...).
pub fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shorten(mut text: String) -> String {
    if text.len() > MESSAGE_LIMIT {
        let mut end = MESSAGE_LIMIT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_body_format_reads_as_one_line() {
        let cases = [
            (
                406,
                Some("text/html;charset=UTF-8"),
                "<html><head><title>JBoss Web/7.0.13.Final - Error report</title><style>H1 {color:white}</style></head>\
                 <body><h1>HTTP Status 406 - </h1><p>The resource identified by this request is only capable of generating responses</p></body></html>",
                "JBoss Web/7.0.13.Final - Error report: HTTP Status 406 -",
            ),
            (
                401,
                Some("text/plain"),
                "User password expired\n",
                "User password expired",
            ),
            (
                404,
                Some("application/xml"),
                "<error><message>Device 12 &amp; more not found</message></error>",
                "Device 12 & more not found",
            ),
            (
                400,
                Some("application/vnd.net.juniper.space.error+json"),
                r#"{"message": "Invalid  filter"}"#,
                "Invalid filter",
            ),
            (500, None, "", "Internal Server Error"),
        ];
        for (status, media_type, body, expected) in cases {
            assert_eq!(
                readable_message(status, media_type, body),
                expected,
                "{body}"
            );
        }
    }

    #[test]
    fn a_cut_falling_inside_a_character_keeps_the_whole_characters_before_it() {
        // One byte, then two-byte characters: byte 300 is inside one of them.
        let message = readable_message(500, Some("text/plain"), &format!("a{}", "é".repeat(400)));
        assert_eq!(message, format!("a{}…", "é".repeat(149)));
    }

    #[test]
    fn long_messages_are_cut_on_a_character_boundary() {
        let message = readable_message(500, Some("text/plain"), &"é".repeat(400));
        assert!(message.ends_with('…'));
        assert!(message.len() <= MESSAGE_LIMIT + '…'.len_utf8());
    }
}
