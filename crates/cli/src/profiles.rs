//! `profile list | use`: the config file's profiles, and which one is the default. They need
//! no server. `use` changes the one `default-profile` line of the file and nothing else, so
//! the operator's comments and layout stay as they wrote them.

use std::path::Path;

use serde_json::json;

use crate::exit::{Failure, printing};
use crate::output::Output;
use crate::settings::{self, ConfigFile};

/// Prints every profile: its name, URL, user, and whether it is the default.
pub fn list(output: &mut Output) -> Result<(), Failure> {
    let (_, file) = settings::config(&|name| std::env::var(name).ok())?;
    for (name, profile) in &file.profiles {
        let default = file.default_profile.as_deref() == Some(name.as_str());
        let record = json!({
            "name": name,
            "url": profile.url,
            "user": profile.user,
            "default": default,
        });
        output.record(record).map_err(printing)?;
    }
    Ok(())
}

/// Makes `name` the default profile; says which it was before.
pub fn use_profile(name: &str) -> Result<String, Failure> {
    let (path, file) = settings::config(&|name| std::env::var(name).ok())?;
    let path = path.ok_or_else(|| Failure::Usage("no config directory on this system".into()))?;
    if !file.profiles.contains_key(name) {
        let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
        return Err(Failure::Usage(format!(
            "no profile `{name}` in {}; there: {}",
            path.display(),
            known.join(", ")
        )));
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|error| Failure::Usage(format!("cannot read {}: {error}", path.display())))?;
    write_atomically(&path, &with_default(&text, name))?;
    Ok(match file.default_profile {
        Some(before) if before != name => format!("default profile: {name} (was {before})"),
        _ => format!("default profile: {name}"),
    })
}

/// `text` with its `default-profile` line saying `name`, or one added before the first table
/// (a top-level key must come before any table in TOML).
fn with_default(text: &str, name: &str) -> String {
    let line = format!("default-profile = {}", quoted(name));
    let is_default = |l: &str| {
        l.trim_start()
            .strip_prefix("default-profile")
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    };
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if let Some(at) = lines.iter().position(|l| is_default(l)) {
        lines[at] = line;
    } else {
        let first_table = lines
            .iter()
            .position(|l| l.trim_start().starts_with('['))
            .unwrap_or(lines.len());
        lines.insert(first_table, line);
    }
    let mut written = lines.join("\n");
    written.push('\n');
    written
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Writes `text` to `path` through a file beside it renamed over it, keeping its permissions:
/// a crash leaves the old file or the new one, never half of one.
fn write_atomically(path: &Path, text: &str) -> Result<(), Failure> {
    let failed =
        |error: std::io::Error| Failure::Usage(format!("cannot write {}: {error}", path.display()));
    let beside = path.with_extension("toml.new");
    std::fs::write(&beside, text).map_err(failed)?;
    if let Ok(metadata) = std::fs::metadata(path) {
        std::fs::set_permissions(&beside, metadata.permissions()).map_err(failed)?;
    }
    std::fs::rename(&beside, path).map_err(failed)?;
    // Checked by reading it as every command will.
    let _: ConfigFile = settings::read_config(path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_line_is_replaced_or_added_before_the_first_table() {
        let with_one =
            "# mine\ndefault-profile = \"lab\"\n\n[profiles.lab]\nurl = \"https://lab\"\n";
        assert_eq!(
            with_default(with_one, "prod"),
            "# mine\ndefault-profile = \"prod\"\n\n[profiles.lab]\nurl = \"https://lab\"\n"
        );
        let without = "# mine\n[profiles.lab] # the lab\nurl = \"https://lab\"\n";
        assert_eq!(
            with_default(without, "lab"),
            "# mine\ndefault-profile = \"lab\"\n[profiles.lab] # the lab\nurl = \"https://lab\"\n"
        );
        assert_eq!(quoted("a\"b"), "\"a\\\"b\"");
    }
}
