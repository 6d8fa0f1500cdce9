//! Login sessions: the ids `POST /api/space/user-management/login` hands out in the
//! `JSESSIONIDSSO` and `JSESSIONID` cookies, the user each stands for, and the cookies
//! themselves as a real server writes and reads them.

use std::collections::HashMap;

/// Open sessions: either cookie's value to the user it stands for.
#[derive(Debug, Default)]
pub(crate) struct Sessions {
    users: HashMap<String, String>,
}

impl Sessions {
    /// Opens a session for `user` under both ids.
    pub fn open(&mut self, sso: &str, session: &str, user: &str) {
        self.users.insert(sso.to_owned(), user.to_owned());
        self.users.insert(session.to_owned(), user.to_owned());
    }

    /// The user of the open session that `cookie` names, if any.
    pub fn user(&self, cookie: Option<&str>) -> Option<&str> {
        ids(cookie)
            .into_iter()
            .find_map(|id| self.users.get(id).map(String::as_str))
    }

    /// The id of the open session that `cookie` names, if any: what a lock is held by.
    pub fn id(&self, cookie: Option<&str>) -> Option<&str> {
        ids(cookie)
            .into_iter()
            .find_map(|id| self.users.get_key_value(id).map(|(id, _)| id.as_str()))
    }

    /// Ends every session `cookie` names.
    pub fn end(&mut self, cookie: Option<&str>) {
        for id in ids(cookie) {
            self.users.remove(id);
        }
    }
}

/// The session ids carried by a `Cookie` header (`JSESSIONIDSSO` first, then `JSESSIONID`).
fn ids(cookie: Option<&str>) -> Vec<&str> {
    let Some(cookie) = cookie else {
        return Vec::new();
    };
    let mut ids: Vec<(u8, &str)> = cookie
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .filter_map(|(name, value)| match name {
            "JSESSIONIDSSO" => Some((0, value)),
            "JSESSIONID" => Some((1, value)),
            _ => None,
        })
        .collect();
    ids.sort();
    ids.into_iter().map(|(_, id)| id).collect()
}

/// The folded `Set-Cookie` of a login: both cookies in one header, comma-separated, as a real
/// server sends them. No `Secure`: the simulator speaks plain HTTP.
pub(crate) fn set_cookie(sso: &str, session: &str) -> String {
    format!(
        "JSESSIONIDSSO={sso}; Path=/api/space/user-management; HttpOnly, \
         JSESSIONID={session}; Path=/api/space/user-management; HttpOnly"
    )
}

/// A `Set-Cookie` that expires both session cookies (logout).
pub(crate) fn expired_cookie() -> String {
    "JSESSIONIDSSO=; Path=/api/space/user-management; Max-Age=0, \
     JSESSIONID=; Path=/api/space/user-management; Max-Age=0"
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_come_from_either_cookie() {
        assert_eq!(
            ids(Some("JSESSIONID=b.node1; other=x; JSESSIONIDSSO=a")),
            ["a", "b.node1"]
        );
        assert!(ids(Some("other=x")).is_empty());
    }

    #[test]
    fn a_session_is_found_by_either_cookie_until_it_ends() {
        let mut sessions = Sessions::default();
        sessions.open("A", "b.node1", "super");
        assert_eq!(sessions.user(Some("JSESSIONID=b.node1")), Some("super"));
        assert_eq!(sessions.user(Some("JSESSIONIDSSO=A")), Some("super"));
        assert_eq!(sessions.user(Some("JSESSIONIDSSO=other")), None);
        sessions.end(Some("JSESSIONIDSSO=A; JSESSIONID=b.node1"));
        assert_eq!(sessions.user(Some("JSESSIONID=b.node1")), None);
    }
}
