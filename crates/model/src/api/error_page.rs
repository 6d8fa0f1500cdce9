//! The error page a real Junos Space sends where the spec documents no body: the JBoss Web
//! page of its 404, 405, 406, 415 and 5xx answers. The simulator answers with it and the
//! conformance kit serves it to the client, so both send the same page.

/// The media type of the error page.
pub const ERROR_PAGE_TYPE: &str = "text/html;charset=utf-8";

/// The JBoss Web error page for `status`, with `description` (escaped: it may echo what the
/// client sent).
pub fn error_page(status: u16, description: &str) -> String {
    let escaped = escape_markup(description);
    format!(
        "<html><head><title>JBoss Web/7.0.13.Final - Error report</title><style><!--H1 \
         {{font-family:Tahoma,Arial,sans-serif;color:white;background-color:#525D76;font-size:22px;}} \
         BODY {{font-family:Tahoma,Arial,sans-serif;color:black;background-color:white;}}--></style> \
         </head><body><h1>HTTP Status {status} - </h1><HR size=\"1\" noshade=\"noshade\">\
         <p><b>type</b> Status report</p><p><b>message</b> <u></u></p><p><b>description</b> \
         <u>{escaped}</u></p><HR size=\"1\" noshade=\"noshade\"><h3>JBoss Web/7.0.13.Final</h3>\
         </body></html>"
    )
}

/// `text` as HTML or XML text or attribute value: `&`, `<`, `>`, `"` and `'` escaped.
pub fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// JBoss's description of a 406 for `accept`.
pub fn not_acceptable_description(accept: &str) -> String {
    format!(
        "The resource identified by this request is only capable of generating responses with \
         characteristics not acceptable according to the request \"accept\" headers ({accept})."
    )
}

/// JBoss's description of a 415 for `content_type`.
pub fn unsupported_type_description(content_type: &str) -> String {
    format!(
        "The server refused this request because the request entity is in a format not \
         supported by the requested resource for the requested method ({content_type})."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_pages_escape_what_the_client_sent() {
        let page = error_page(406, &not_acceptable_description("<script>"));
        assert!(page.contains("HTTP Status 406"));
        assert!(page.contains("&lt;script&gt;"));
        assert!(!page.contains("<script>"));
    }
}
