//! How a run ends: its exit status, stable and documented, and a one-line message on stderr.
//!
//! | status | meaning |
//! |---|---|
//! | 0 | success, or the reader of the output went away (`| head`) |
//! | 1 | the server refused or failed a call (401 included), or could not be reached |
//! | 2 | usage: a bad flag, a missing setting, an unreadable file |
//! | 3 | a job ended in failure (or was cancelled) |
//! | 4 | a job was still running at the deadline |
//! | 130 | stopped by Ctrl-C |

use std::fmt;

/// Why a run did not succeed.
#[derive(Debug)]
pub enum Failure {
    Usage(String),
    Api(String),
    /// The server answered 404: what the request named is not there.
    NotFound(String),
    /// The server refused the credentials or the session (401).
    Refused(String),
    JobFailed(String),
    Timeout(String),
    Interrupted(String),
    /// The reader of stdout closed it (`| head -1`): nothing more can be shown, and nothing
    /// went wrong, so the run ends quietly.
    ReaderGone,
}

impl Failure {
    /// The exit status.
    pub fn status(&self) -> u8 {
        match self {
            Self::Api(_) | Self::NotFound(_) | Self::Refused(_) => 1,
            Self::Usage(_) => 2,
            Self::JobFailed(_) => 3,
            Self::Timeout(_) => 4,
            Self::Interrupted(_) => 130,
            Self::ReaderGone => 0,
        }
    }

    /// The one that a run with both should end with: interrupted, then the worst of the jobs
    /// (timed out, failed), then the calls.
    pub fn worse(self, other: Failure) -> Failure {
        let rank = |failure: &Failure| match failure {
            Self::Interrupted(_) => 4,
            Self::Timeout(_) => 3,
            Self::JobFailed(_) => 2,
            Self::Api(_) | Self::NotFound(_) | Self::Refused(_) => 1,
            Self::Usage(_) | Self::ReaderGone => 0,
        };
        if rank(&other) > rank(&self) {
            other
        } else {
            self
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (Self::Usage(message)
        | Self::Api(message)
        | Self::NotFound(message)
        | Self::Refused(message)
        | Self::JobFailed(message)
        | Self::Timeout(message)
        | Self::Interrupted(message)) = self
        else {
            return f.write_str("the reader of the output closed it");
        };
        // One line: a server's error page may hold line breaks.
        let line: Vec<&str> = message.split_whitespace().collect();
        f.write_str(&line.join(" "))
    }
}

impl From<junos_space::Error> for Failure {
    fn from(error: junos_space::Error) -> Self {
        use junos_space::Error;
        match &error {
            Error::JobFailed(_) => Self::JobFailed(error.to_string()),
            Error::JobDeadline(_) | Error::Timeout(_) => Self::Timeout(error.to_string()),
            Error::Config(_) | Error::InvalidRequest(_) => Self::Usage(error.to_string()),
            Error::NotFound(_) => Self::NotFound(error.to_string()),
            Error::Auth(_) => Self::Refused(error.to_string()),
            _ => Self::Api(error.to_string()),
        }
    }
}

impl Failure {
    /// This failure, with a hint when it is a 404 and the server's URL has a path of its own
    /// (`https://space.example.com/api/wrong`): every call then misses, since the API's path
    /// comes after it.
    pub fn hinted_for(self, url: &str) -> Failure {
        let Self::NotFound(message) = self else {
            return self;
        };
        let after_host = url.split_once("://").map_or(url, |(_, rest)| rest);
        let path = after_host
            .find('/')
            .map_or("", |at| &after_host[at..])
            .trim_end_matches('/');
        if path.is_empty() || path.ends_with(junos_space::Client::BASE_PATH) {
            return Self::NotFound(message);
        }
        Self::NotFound(format!(
            "{message} (the URL's path {path} comes before {}: is {url} the server's root?)",
            junos_space::Client::BASE_PATH
        ))
    }
}

impl Failure {
    /// This failure, with a hint when it is a refusal and the run had only a kept session:
    /// the client sends the session cookie on reads only (Junos Space's asynchronous calls
    /// want the password), so a change needs the password, and an expired session a new
    /// login.
    pub fn hinted_for_session(self) -> Failure {
        match self {
            Self::Refused(message) => Self::Refused(format!(
                "{message} (this run used the session `junos-space login` kept: it serves \
                 reads only, so a change needs the password (--password-file or \
                 JUNOS_SPACE_PASSWORD); a session that expired needs `junos-space login` again)"
            )),
            other => other,
        }
    }
}

/// A failure to write the output: a reader that closed it, or a full disk.
pub fn printing(error: std::io::Error) -> Failure {
    match error.kind() {
        std::io::ErrorKind::BrokenPipe => Failure::ReaderGone,
        _ => Failure::Usage(format!("cannot print: {error}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line_and_the_worst_failure_wins() {
        let failure = Failure::Api("server answered 500:\n<html>\n  broken</html>".into());
        assert_eq!(
            failure.to_string(),
            "server answered 500: <html> broken</html>"
        );
        let worst = Failure::Api("a".into())
            .worse(Failure::Timeout("b".into()))
            .worse(Failure::JobFailed("c".into()));
        assert_eq!(worst.status(), 4);
    }

    #[test]
    fn a_404_under_a_url_with_its_own_path_asks_whether_it_is_the_root() {
        let missing = || Failure::NotFound("not found: HTTP 404 for /x".into());
        let hinted = missing().hinted_for("https://space.example.com/api/wrong/");
        assert!(
            hinted
                .to_string()
                .ends_with("(the URL's path /api/wrong comes before /api/space: is https://space.example.com/api/wrong/ the server's root?)"),
            "{hinted}"
        );
        for root in [
            "https://space.example.com",
            "https://space.example.com/api/space",
        ] {
            assert_eq!(
                missing().hinted_for(root).to_string(),
                missing().to_string()
            );
        }
        assert_eq!(hinted.status(), 1);
    }
}
