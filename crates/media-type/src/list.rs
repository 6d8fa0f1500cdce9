//! Header lists: the comma-separated members of `Accept`, read as RFC 9110 §5.6.1 writes them.

/// The members of a comma-separated header list, trimmed, empty members dropped; a comma
/// inside a quoted string (`version="1,2"`) does not split.
pub fn list_members(header: &str) -> Vec<&str> {
    let mut members = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (at, c) in header.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                members.push(&header[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    members.push(&header[start..]);
    members
        .into_iter()
        .map(|member| member.trim_matches([' ', '\t']))
        .filter(|member| !member.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_commas_stay_inside_their_member() {
        assert_eq!(
            list_members("a/b;x=\"1,2\", c/d ,"),
            ["a/b;x=\"1,2\"", "c/d"]
        );
        assert_eq!(
            list_members("a/b;x=\"q\\\",\", c/d"),
            ["a/b;x=\"q\\\",\"", "c/d"]
        );
        assert!(list_members(" , ").is_empty());
    }
}
