//! A job's result as text. A real Junos Space writes an RPC's reply or a script's output into
//! the progress-update's `data` wrapped in `<![CDATA[...]]>` (SDK22.1
//! `rest.jobs.id.progress-update.html`), an XML habit carried into JSON.

use std::borrow::Cow;

use crate::types;

impl types::ProgressUpdateResponse {
    /// The job's result (`data`) as text, without its CDATA wrappers; see
    /// [`types::ProgressUpdateResponseProgressUpdate::result_text`].
    pub fn result_text(&self) -> Option<Cow<'_, str>> {
        self.progress_update.result_text()
    }
}

impl types::ProgressUpdateResponseProgressUpdate {
    /// The job's result (`data`) as text: each `<![CDATA[...]]>` section replaced by what it
    /// holds, the text around it kept as it came. `None` when the update has no data.
    pub fn result_text(&self) -> Option<Cow<'_, str>> {
        self.data.as_deref().map(without_cdata)
    }
}

const OPEN: &str = "<![CDATA[";
const CLOSE: &str = "]]>";

/// `text` with every CDATA section unwrapped. A section left open runs to the end, as an XML
/// reader would read it up to where the text stops.
fn without_cdata(text: &str) -> Cow<'_, str> {
    if !text.contains(OPEN) {
        return Cow::Borrowed(text);
    }
    let mut unwrapped = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        unwrapped.push_str(&rest[..start]);
        let inside = &rest[start + OPEN.len()..];
        match inside.find(CLOSE) {
            Some(end) => {
                unwrapped.push_str(&inside[..end]);
                rest = &inside[end + CLOSE.len()..];
            }
            None => {
                unwrapped.push_str(inside);
                rest = "";
            }
        }
    }
    unwrapped.push_str(rest);
    Cow::Owned(unwrapped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdata_sections_give_what_they_hold() {
        let cases = [
            ("<![CDATA[<system-information/>]]>", "<system-information/>"),
            // A reply holding `]]>` is split over two sections.
            ("<![CDATA[a]]]]><![CDATA[>b]]>", "a]]>b"),
            ("before <![CDATA[x]]> after", "before x after"),
            ("no wrapper", "no wrapper"),
            ("<![CDATA[cut", "cut"),
            ("", ""),
        ];
        for (data, text) in cases {
            assert_eq!(without_cdata(data), text, "{data}");
        }
        assert!(matches!(without_cdata("plain"), Cow::Borrowed(_)));
    }
}
