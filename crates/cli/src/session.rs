//! Login sessions kept between runs: `junos-space login` stores the session cookie the server
//! set, one file per server and account, readable by its owner only; later runs without a
//! password use it for reads; `junos-space logout` ends it on the server and deletes the file.
//!
//! A stored session goes to its own server only: it is found by the API URL and the user it
//! was opened for, and a run naming another URL never sees it.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::exit::Failure;

/// The variable naming the folder of stored sessions, instead of `junos-space/sessions` in
/// the platform's state (else cache) directory.
pub const ENV_SESSION_DIR: &str = "JUNOS_SPACE_SESSION_DIR";

/// One stored session: the server's API URL and the user it was opened for, and the `Cookie`
/// header value that names it.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Stored {
    pub url: String,
    pub user: String,
    pub cookie: String,
}

impl fmt::Debug for Stored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stored")
            .field("url", &self.url)
            .field("user", &self.user)
            .field("cookie", &"<hidden>")
            .finish()
    }
}

/// The folder of stored sessions.
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The folder `JUNOS_SPACE_SESSION_DIR` names, else the platform's; `None` on a system
    /// with neither a state nor a cache directory.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Option<Self> {
        let dir = env(ENV_SESSION_DIR).map(PathBuf::from).or_else(|| {
            dirs::state_dir()
                .or_else(dirs::cache_dir)
                .map(|dir| dir.join("junos-space").join("sessions"))
        })?;
        Some(Self { dir })
    }

    /// The file of `user`'s session at `url`: both in its name, every other character `_`.
    pub fn path(&self, url: &str, user: &str) -> PathBuf {
        let name: String = format!("{user}@{url}")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "@.-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir.join(format!("{name}.json"))
    }

    /// The session `user` opened at `url`, if one is stored for exactly that server and
    /// account. A file others may read is not used: it says so and is left for the owner.
    pub fn load(&self, url: &str, user: &str) -> Option<Stored> {
        let path = self.path(url, user);
        let text = std::fs::read_to_string(&path).ok()?;
        if !owner_only(&path) {
            eprintln!(
                "warning: {} may be read by others: not used; delete it and log in again",
                path.display()
            );
            return None;
        }
        let stored: Stored = serde_json::from_str(&text).ok()?;
        (stored.url == url && stored.user == user).then_some(stored)
    }

    /// Stores `session` in a file only its owner can read, written whole before it replaces
    /// an older one. Returns its path.
    pub fn save(&self, session: &Stored) -> Result<PathBuf, Failure> {
        let cannot = |what: &str, path: &Path, error: std::io::Error| {
            Failure::Usage(format!("cannot {what} {}: {error}", path.display()))
        };
        create_private_dir(&self.dir).map_err(|e| cannot("create", &self.dir, e))?;
        let path = self.path(&session.url, &session.user);
        let temporary = path.with_extension("json.new");
        let text = serde_json::to_string_pretty(session).expect("strings serialize");
        let mut file =
            create_private_file(&temporary).map_err(|e| cannot("write", &temporary, e))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| cannot("write", &temporary, e))?;
        std::fs::rename(&temporary, &path).map_err(|e| cannot("write", &path, e))?;
        Ok(path)
    }

    /// Deletes the stored session of `user` at `url`; whether there was one.
    pub fn remove(&self, url: &str, user: &str) -> Result<bool, Failure> {
        let path = self.path(url, user);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(Failure::Usage(format!(
                "cannot delete {}: {error}",
                path.display()
            ))),
        }
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::create(path)
}

#[cfg(unix)]
fn owner_only(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|meta| meta.permissions().mode() & 0o077 == 0)
}

#[cfg(not(unix))]
fn owner_only(_: &Path) -> bool {
    // The user's profile folder is private on Windows.
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &Path) -> Store {
        let dir = dir.display().to_string();
        Store::from_env(&|name| (name == ENV_SESSION_DIR).then(|| dir.clone())).expect("a store")
    }

    #[cfg(unix)]
    #[test]
    fn a_session_is_found_only_for_its_own_server_and_user() {
        let dir = tempfile::tempdir().expect("a folder");
        let store = store(&dir.path().join("sessions"));
        let session = Stored {
            url: "https://space.example.com/api/space".into(),
            user: "super".into(),
            cookie: "JSESSIONID=abc".into(),
        };
        let path = store.save(&session).expect("saved");
        assert_eq!(store.load(&session.url, "super"), Some(session.clone()));
        assert_eq!(
            store.load("https://other.example.com/api/space", "super"),
            None
        );
        assert_eq!(store.load(&session.url, "admin"), None);
        assert!(!format!("{session:?}").contains("abc"));
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path)
            .expect("a file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert_eq!(
            store.load(&session.url, "super"),
            None,
            "others may read it"
        );
        assert!(store.remove(&session.url, "super").expect("removed"));
        assert!(!store.remove(&session.url, "super").expect("nothing left"));
    }
}
