//! `login` and `logout`: a session kept between runs (`crate::session`). `login` opens one
//! with the password and stores its cookie; `logout` ends the stored one on the server and
//! deletes it.

use junos_space::prelude::*;

use crate::exit::Failure;
use crate::session::{Store, Stored};
use crate::settings::{Authentication, Flags, Settings, terminal_prompt};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn store() -> Result<Store, Failure> {
    Store::from_env(&env).ok_or_else(|| {
        Failure::Usage(format!(
            "no folder to keep sessions in: set {}",
            crate::session::ENV_SESSION_DIR
        ))
    })
}

/// Opens a session with the password and stores its cookie for later runs.
pub async fn login(flags: &Flags) -> Result<(), Failure> {
    let settings = Settings::read(flags, &env, &terminal_prompt, Authentication::Password)?;
    let client = settings.client()?;
    client.login().send().await?;
    let cookie = client
        .inner()
        .current_session()
        .ok_or_else(|| Failure::Api("the server's login answer set no session cookie".into()))?;
    let cookie = cookie
        .to_str()
        .map_err(|_| Failure::Api("the server's session cookie is not text".into()))?
        .to_owned();
    let stored = Stored {
        url: settings.api_url(),
        user: settings.user.clone(),
        cookie,
    };
    let path = store()?.save(&stored)?;
    eprintln!(
        "logged in to {} as {}: the session is kept in {} (readable by you only) for reads \
         without the password, until it expires or `junos-space logout`",
        stored.url,
        stored.user,
        path.display()
    );
    Ok(())
}

/// Ends the stored session on the server and deletes it; the file goes even when the server
/// had already ended the session.
pub async fn logout(flags: &Flags) -> Result<(), Failure> {
    let no_prompt = |_: &str| None;
    let settings = Settings::read(flags, &env, &no_prompt, Authentication::Session)?;
    let client = settings.client()?;
    let ended = client.logout().send().await;
    store()?.remove(&settings.api_url(), &settings.user)?;
    match ended {
        Ok(_) => {
            eprintln!("logged out of {} as {}", settings.url, settings.user);
            Ok(())
        }
        // The server no longer knew the session: it has ended all the same.
        Err(error) if error.status() == Some(401) => {
            eprintln!(
                "the session of {} at {} had already ended; its file is deleted",
                settings.user, settings.url
            );
            Ok(())
        }
        Err(error) => Err(error.into()),
    }
}
