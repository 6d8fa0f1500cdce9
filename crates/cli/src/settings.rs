//! Where the connection's settings come from, the first found winning: the command line, the
//! environment (`JUNOS_SPACE_URL`, `JUNOS_SPACE_USER`, `JUNOS_SPACE_PASSWORD`), then a profile
//! of the config file. The password never comes from the command line (it would show in
//! `ps` and in shell history): from a file, the environment, or a prompt on the terminal.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use junos_space::prelude::*;
use junos_space::{Client, Password};
use reqwest::header::HeaderValue;
use serde::Deserialize;

use crate::exit::Failure;
use crate::session::Store;
pub use crate::session::Stored;

/// The variable naming the config file, instead of `junos-space/config.toml` in the
/// platform's config directory.
pub const ENV_CONFIG: &str = "JUNOS_SPACE_CONFIG";
/// The variable naming the profile, instead of the file's `default-profile`.
pub const ENV_PROFILE: &str = "JUNOS_SPACE_PROFILE";
const ENV_URL: &str = "JUNOS_SPACE_URL";
const ENV_USER: &str = "JUNOS_SPACE_USER";
const ENV_PASSWORD: &str = "JUNOS_SPACE_PASSWORD";

/// One server and account, as a `[profiles.NAME]` table of the config file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Profile {
    pub url: Option<String>,
    pub user: Option<String>,
    pub password_file: Option<PathBuf>,
    pub cacert: Option<PathBuf>,
    pub insecure: Option<bool>,
    pub timeout_seconds: Option<u64>,
}

/// The config file: `default-profile = "lab"` and `[profiles.lab]` tables.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// What the command line says about the connection.
#[derive(Debug, Default, Clone)]
pub struct Flags {
    pub profile: Option<String>,
    pub url: Option<String>,
    pub user: Option<String>,
    pub password_file: Option<PathBuf>,
    pub cacert: Option<PathBuf>,
    pub insecure: bool,
    pub timeout: Option<Duration>,
}

/// How a run authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authentication {
    /// The password from a file, the environment or a profile; else the session
    /// `junos-space login` stored for this server and user; else a prompt.
    PasswordOrSession,
    /// The password, as `login` needs it.
    Password,
    /// The stored session alone, as `logout` ends it.
    Session,
}

/// Everything a client is built from.
#[derive(Debug)]
pub struct Settings {
    pub url: String,
    pub user: String,
    /// The password; `None` when the run uses the session `junos-space login` stored.
    pub password: Option<Password>,
    /// The stored session, used when no password is given (never with one).
    pub session: Option<Stored>,
    pub cacert: Option<PathBuf>,
    pub insecure: bool,
    pub timeout: Duration,
}

impl Settings {
    /// Reads the settings: `env` looks up a variable, `prompt` asks for the password on the
    /// terminal (`None` when there is none to ask on).
    pub fn resolve(
        flags: &Flags,
        env: &dyn Fn(&str) -> Option<String>,
        prompt: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, Failure> {
        Self::read(flags, env, prompt, Authentication::PasswordOrSession)
    }

    /// The settings as `rule` wants them authenticated (`login` needs the password whatever
    /// session is stored; `logout` needs the stored session whatever password is given).
    pub fn read(
        flags: &Flags,
        env: &dyn Fn(&str) -> Option<String>,
        prompt: &dyn Fn(&str) -> Option<String>,
        rule: Authentication,
    ) -> Result<Self, Failure> {
        let profile = profile(flags, env)?;
        let url = flags
            .url
            .clone()
            .or_else(|| env(ENV_URL))
            .or(profile.url.clone())
            .ok_or_else(|| {
                Failure::Usage(format!(
                    "no server: give --url, set {ENV_URL}, or name one in a profile"
                ))
            })?;
        let user = flags
            .user
            .clone()
            .or_else(|| env(ENV_USER))
            .or(profile.user.clone())
            .ok_or_else(|| {
                Failure::Usage(format!(
                    "no user: give --user, set {ENV_USER}, or name one in a profile"
                ))
            })?;
        // Found by the API URL and user: a session goes to its own server only.
        let stored = || Store::from_env(env).and_then(|store| store.load(&api_url(&url), &user));
        if rule == Authentication::Session {
            let session = stored().ok_or_else(|| {
                Failure::Usage(format!("no session of {user} at {url} is stored"))
            })?;
            return Ok(Self::with(flags, profile, url, user, None, Some(session)));
        }
        let mut session = None;
        let password = match (
            &flags.password_file,
            env(ENV_PASSWORD),
            &profile.password_file,
        ) {
            (Some(file), _, _) => Some(read_password(file)?),
            (None, Some(password), _) => Some(password),
            (None, None, Some(file)) => {
                // A profile's password belongs to the profile's server: never sent to another
                // one that a flag or the environment named.
                if let Some(own) = &profile.url
                    && !same_server(own, &url)
                {
                    return Err(Failure::Usage(format!(
                        "the profile's password is for {own}, not {url}: give that server's \
                         password (--password-file or {ENV_PASSWORD}), or use the profile's URL"
                    )));
                }
                Some(read_password(file)?)
            }
            (None, None, None) => {
                if rule == Authentication::PasswordOrSession {
                    session = stored();
                }
                match session {
                    Some(_) => None,
                    None => Some(
                        prompt(&format!("Password for {user} at {url}: ")).ok_or_else(|| {
                            Failure::Usage(format!(
                                "no password: set {ENV_PASSWORD}, give --password-file, run \
                                 `junos-space login`, or run on a terminal to be asked"
                            ))
                        })?,
                    ),
                }
            }
        };
        Ok(Self::with(
            flags,
            profile,
            url,
            user,
            password.map(Password::new),
            session,
        ))
    }

    fn with(
        flags: &Flags,
        profile: Profile,
        url: String,
        user: String,
        password: Option<Password>,
        session: Option<Stored>,
    ) -> Self {
        Self {
            url,
            user,
            password,
            session,
            cacert: flags.cacert.clone().or(profile.cacert),
            insecure: flags.insecure || profile.insecure.unwrap_or(false),
            timeout: flags
                .timeout
                .or(profile.timeout_seconds.map(Duration::from_secs))
                .unwrap_or(Duration::from_secs(120)),
        }
    }

    /// The client these settings describe. Turning verification off is said on stderr.
    pub fn client(&self) -> Result<Client, Failure> {
        let mut builder = Client::builder().base_url(&self.url);
        if let Some(password) = &self.password {
            builder = builder.credentials(self.user.clone(), password.clone());
        }
        builder = builder
            .timeout(self.timeout)
            .user_agent(concat!("junos-space-cli/", env!("CARGO_PKG_VERSION")));
        if let Some(cacert) = &self.cacert {
            builder = builder.add_root_certificate_pem_file(cacert);
        }
        if self.insecure {
            eprintln!(
                "warning: --insecure: the server's certificate is not verified; anyone on the way can read the password"
            );
            builder = builder.danger_accept_invalid_certificates();
        }
        let client = builder
            .build()
            .map_err(|error| Failure::Usage(error.to_string()))?;
        if let Some(session) = &self.session {
            let cookie = HeaderValue::from_str(&session.cookie).map_err(|_| {
                Failure::Usage("the stored session is not a cookie: log in again".into())
            })?;
            client.inner().set_session(Some(cookie));
        }
        Ok(client)
    }

    /// The API URL the settings' URL names, as sessions are stored under it.
    pub fn api_url(&self) -> String {
        api_url(&self.url)
    }
}

/// The API URL `url` names, by the client's one rule for base URLs (`https://space` and
/// `https://space/api/space` are one); `url` itself when it is not one.
fn api_url(url: &str) -> String {
    junos_space_runtime::api_url(url, junos_space::Client::BASE_PATH)
        .unwrap_or_else(|_| url.trim_end_matches('/').to_owned())
}

/// Whether two URLs name the same server's API, read by the client's one rule for base URLs
/// (a profile's `https://space` and `https://space/api/space` are one).
fn same_server(one: &str, other: &str) -> bool {
    api_url(one) == api_url(other)
}

/// Asks for the password on the terminal without echoing it; `None` when stdin is not one.
pub fn terminal_prompt(question: &str) -> Option<String> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    rpassword::prompt_password(question).ok()
}

/// The profile the flags, the environment or the file's default name; an empty one when
/// none is named and the file has no `default` profile.
fn profile(flags: &Flags, env: &dyn Fn(&str) -> Option<String>) -> Result<Profile, Failure> {
    let named = flags.profile.clone().or_else(|| env(ENV_PROFILE));
    let (path, file) = config(env)?;
    let where_ = || {
        path.as_deref()
            .map_or_else(|| "no config file".to_owned(), |p| p.display().to_string())
    };
    match named.or(file.default_profile.clone()) {
        Some(name) => file
            .profiles
            .get(&name)
            .cloned()
            .ok_or_else(|| Failure::Usage(format!("no profile `{name}` in {}", where_()))),
        None => Ok(file.profiles.get("default").cloned().unwrap_or_default()),
    }
}

/// The config file's path (`JUNOS_SPACE_CONFIG`, else `junos-space/config.toml` in the config
/// directory) and what it holds: nothing when the default file does not exist.
pub fn config(
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(Option<PathBuf>, ConfigFile), Failure> {
    let explicit_file = env(ENV_CONFIG).map(PathBuf::from);
    let path = explicit_file
        .clone()
        .or_else(|| dirs::config_dir().map(|dir| dir.join("junos-space").join("config.toml")));
    let file = match &path {
        Some(path) if path.exists() || explicit_file.is_some() => read_config(path)?,
        _ => ConfigFile::default(),
    };
    Ok((path, file))
}

/// The names of the config file's profiles, for `--profile <TAB>`; none when it cannot be read.
pub fn profile_names() -> Vec<String> {
    config(&|name| std::env::var(name).ok())
        .map(|(_, file)| file.profiles.into_keys().collect())
        .unwrap_or_default()
}

pub fn read_config(path: &Path) -> Result<ConfigFile, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| Failure::Usage(format!("cannot read {}: {error}", path.display())))?;
    basic_toml::from_str(&text)
        .map_err(|error| Failure::Usage(format!("{}: {error}", path.display())))
}

/// The first line of `path`, without its line ending.
pub(crate) fn read_password(path: &Path) -> Result<String, Failure> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        Failure::Usage(format!(
            "cannot read the password file {}: {error}",
            path.display()
        ))
    })?;
    let password = text.lines().next().unwrap_or_default().to_owned();
    if password.is_empty() {
        return Err(Failure::Usage(format!(
            "the password file {} is empty",
            path.display()
        )));
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    fn no_prompt(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn the_command_line_beats_the_environment_which_beats_the_profile() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let config = dir.path().join("config.toml");
        let password_file = dir.path().join("pw");
        std::fs::write(&password_file, "from-file\n").expect("written");
        std::fs::write(
            &config,
            format!(
                "default-profile = \"lab\"\n[profiles.lab]\nurl = \"https://lab\"\nuser = \"ops\"\npassword-file = {:?}\ntimeout-seconds = 7\n",
                password_file
            ),
        )
        .expect("written");
        let config = config.to_str().expect("UTF-8");
        let env = lookup(&[(ENV_CONFIG, config)]);
        let settings = Settings::resolve(&Flags::default(), &env, &no_prompt).expect("resolved");
        assert_eq!(settings.url, "https://lab");
        assert_eq!(settings.user, "ops");
        assert_eq!(
            settings.password.as_ref().expect("a password").expose(),
            "from-file"
        );
        assert_eq!(settings.timeout, Duration::from_secs(7));

        let env = lookup(&[
            (ENV_CONFIG, config),
            (ENV_URL, "https://env"),
            (ENV_PASSWORD, "env-pw"),
        ]);
        let flags = Flags {
            user: Some("admin".into()),
            ..Flags::default()
        };
        let settings = Settings::resolve(&flags, &env, &no_prompt).expect("resolved");
        assert_eq!(settings.url, "https://env");
        assert_eq!(settings.user, "admin");
        assert_eq!(
            settings.password.as_ref().expect("a password").expose(),
            "env-pw"
        );
        assert!(!format!("{settings:?}").contains("env-pw"));

        // The profile's password goes to the profile's server only: another URL from the
        // environment or a flag is refused rather than sent it; the same server by another
        // spelling is not another server.
        for (flag_url, env_url) in [
            (None, Some("https://elsewhere")),
            (Some("https://other"), None),
        ] {
            let mut pairs = vec![(ENV_CONFIG, config)];
            pairs.extend(env_url.map(|url| (ENV_URL, url)));
            let flags = Flags {
                url: flag_url.map(str::to_owned),
                ..Flags::default()
            };
            let error =
                Settings::resolve(&flags, &lookup(&pairs), &no_prompt).expect_err("another server");
            let said = error.to_string();
            assert!(
                said.contains("https://lab") && !said.contains("from-file"),
                "{said}"
            );
        }
        let same = Flags {
            url: Some("https://LAB/api/space/".into()),
            ..Flags::default()
        };
        let settings = Settings::resolve(&same, &lookup(&[(ENV_CONFIG, config)]), &no_prompt)
            .expect("the profile's own server");
        assert_eq!(
            settings.password.as_ref().expect("a password").expose(),
            "from-file"
        );
    }

    #[test]
    fn the_password_is_asked_only_when_nothing_gives_it() {
        let env = lookup(&[
            (ENV_URL, "https://s"),
            (ENV_USER, "u"),
            (ENV_CONFIG, "/nonexistent/c.toml"),
        ]);
        let flags = Flags::default();
        // The named config file must exist.
        let error = Settings::resolve(&flags, &env, &no_prompt).expect_err("no file");
        assert!(error.to_string().contains("/nonexistent/c.toml"), "{error}");

        let env = lookup(&[(ENV_URL, "https://s"), (ENV_USER, "u")]);
        let asked = |question: &str| {
            assert!(question.contains("u at https://s"), "{question}");
            Some("typed".to_owned())
        };
        let flags = Flags {
            profile: None,
            ..Flags::default()
        };
        let settings = Settings::resolve(&flags, &env, &asked).expect("asked");
        assert_eq!(
            settings.password.as_ref().expect("a password").expose(),
            "typed"
        );
        let error = Settings::resolve(&flags, &env, &no_prompt).expect_err("nothing to ask on");
        assert!(error.to_string().contains("no password"), "{error}");
    }

    #[test]
    fn a_named_profile_must_exist_and_the_file_must_be_well_formed() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let config = dir.path().join("config.toml");
        std::fs::write(
            &config,
            "[profiles.lab]\nurl = \"https://lab\"\nuser = \"ops\"\n",
        )
        .expect("written");
        let env = lookup(&[(ENV_CONFIG, config.to_str().expect("UTF-8"))]);
        let flags = Flags {
            profile: Some("prod".into()),
            ..Flags::default()
        };
        let error = Settings::resolve(&flags, &env, &no_prompt).expect_err("no prod");
        assert!(error.to_string().contains("no profile `prod`"), "{error}");

        std::fs::write(&config, "[profiles.lab]\npassword = \"inline\"\n").expect("written");
        let error = Settings::resolve(&Flags::default(), &env, &no_prompt).expect_err("refused");
        // A password written into the file is refused, and not repeated.
        assert!(error.to_string().contains("password"), "{error}");
        assert!(!error.to_string().contains("inline"), "{error}");
    }
}
