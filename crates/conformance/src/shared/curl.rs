//! The one `curl` renderer: every request the kit shows a person (a failing call of the client
//! kit, a probe of the server mode) as a command that sends the same bytes again. Credentials
//! and the server come from the environment the client reads too (`JUNOS_SPACE_URL`,
//! `JUNOS_SPACE_USER`, `JUNOS_SPACE_PASSWORD`), never from the command itself.

/// Where the request goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Url<'a> {
    /// A URL as it is (`https://space.example.com/api/space/device-management/devices`).
    Literal(&'a str),
    /// A path and query below the server `$JUNOS_SPACE_URL` names (`/api/space/...`).
    BelowServer(&'a str),
}

/// The HTTP Basic credentials the request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum User<'a> {
    /// None at all.
    None,
    /// The account's user, as it was given (`name`), or `$JUNOS_SPACE_USER` when it came from
    /// there (`None`), with `$JUNOS_SPACE_PASSWORD`: a password is never written.
    Account { name: Option<&'a str> },
    /// A user name and a password made wrong by `prefix` before `$JUNOS_SPACE_PASSWORD`; the
    /// name is `$JUNOS_SPACE_USER` when `name` is `None`. Both are the kit's own words.
    Wrong {
        name: Option<&'a str>,
        prefix: &'a str,
    },
}

/// One request to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command<'a> {
    pub method: &'a str,
    pub url: Url<'a>,
    pub user: User<'a>,
    /// Headers as sent; an empty value is sent empty.
    pub headers: Vec<(&'a str, &'a str)>,
    pub body: Option<&'a [u8]>,
}

/// `curl -sS -i -X METHOD URL -u ... -H ... --data-raw '...'`.
pub fn render(command: &Command<'_>) -> String {
    let url = match command.url {
        Url::Literal(url) => quote(url),
        Url::BelowServer(path) => format!("\"$JUNOS_SPACE_URL\"{}", quote(path)),
    };
    let mut line = format!("curl -sS -i -X {} {url}", command.method);
    match command.user {
        User::None => {}
        User::Account { name: None } => {
            line.push_str(" -u \"$JUNOS_SPACE_USER:$JUNOS_SPACE_PASSWORD\"");
        }
        // The name as given, quoted for the shell, then the password from the environment.
        User::Account { name: Some(name) } => {
            line.push_str(&format!(" -u {}\":$JUNOS_SPACE_PASSWORD\"", quote(name)));
        }
        User::Wrong { name, prefix } => line.push_str(&format!(
            " -u \"{}:{prefix}$JUNOS_SPACE_PASSWORD\"",
            name.unwrap_or("$JUNOS_SPACE_USER")
        )),
    }
    for (name, value) in &command.headers {
        // curl drops a header written `Name:`; `Name;` sends it empty.
        let header = if value.is_empty() {
            format!("{name};")
        } else {
            format!("{name}: {value}")
        };
        line.push_str(&format!(" -H {}", quote(&header)));
    }
    if let Some(body) = command.body.filter(|body| !body.is_empty()) {
        line.push_str(&format!(
            " --data-raw {}",
            quote(&String::from_utf8_lossy(body))
        ));
    }
    line
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

    #[test]
    fn credentials_and_the_server_come_from_the_environment() {
        let command = Command {
            method: "POST",
            url: Url::BelowServer("/api/space/jobs?filter=(a eq 'b')"),
            user: User::Wrong {
                name: None,
                prefix: "not-",
            },
            headers: vec![("Accept", "text/plain"), ("Content-Type", "")],
            body: Some(b"{\"a\":1}"),
        };
        assert_eq!(
            render(&command),
            "curl -sS -i -X POST \"$JUNOS_SPACE_URL\"'/api/space/jobs?filter=(a eq '\\''b'\\'')' \
             -u \"$JUNOS_SPACE_USER:not-$JUNOS_SPACE_PASSWORD\" -H 'Accept: text/plain' \
             -H 'Content-Type;' --data-raw '{\"a\":1}'"
        );
        let account = Command {
            url: Url::Literal("https://space/api/space"),
            user: User::Account { name: None },
            headers: Vec::new(),
            body: None,
            ..command
        };
        assert_eq!(
            render(&account),
            "curl -sS -i -X POST 'https://space/api/space' \
             -u \"$JUNOS_SPACE_USER:$JUNOS_SPACE_PASSWORD\""
        );
        let given = Command {
            user: User::Account {
                name: Some("ops's"),
            },
            ..account
        };
        assert_eq!(
            render(&given),
            "curl -sS -i -X POST 'https://space/api/space' \
             -u 'ops'\\''s'\":$JUNOS_SPACE_PASSWORD\""
        );
    }
}
