//! Writing `generated/` atomically, or comparing it with what would be written.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The generated files, by path relative to the generated crate.
pub type Files = BTreeMap<PathBuf, String>;

/// The directory under the generated crate that the xtask writes to.
pub const OWNED_DIR: &str = "src";

/// How every generated file begins. A file of [`OWNED_DIR`] without it is hand-written
/// (`lib.rs`) and never written, compared or removed.
pub const GENERATED_MARK: &str = "// @generated";

/// Files under the owned directory that would be written, changed or removed.
pub fn differences(crate_dir: &Path, files: &Files) -> io::Result<Vec<Difference>> {
    let mut found = Vec::new();
    for (relative, contents) in files {
        let path = crate_dir.join(relative);
        match fs::read_to_string(&path) {
            Ok(existing) if existing == *contents => {}
            Ok(existing) => found.push(Difference::Changed {
                path: relative.clone(),
                diff: similar::TextDiff::from_lines(&existing, contents)
                    .unified_diff()
                    .context_radius(2)
                    .header(
                        &format!("a/{}", relative.display()),
                        &format!("b/{}", relative.display()),
                    )
                    .to_string(),
            }),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                found.push(Difference::Missing(relative.clone()))
            }
            Err(error) => return Err(error),
        }
    }
    for stale in stale_files(crate_dir, files)? {
        found.push(Difference::Stale(stale));
    }
    Ok(found)
}

/// One way `generated/` differs from the spec's output.
#[derive(Debug)]
pub enum Difference {
    Changed { path: PathBuf, diff: String },
    Missing(PathBuf),
    Stale(PathBuf),
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Changed { diff, .. } => f.write_str(diff),
            Self::Missing(path) => writeln!(f, "missing: {}", path.display()),
            Self::Stale(path) => writeln!(f, "not generated any more: {}", path.display()),
        }
    }
}

/// Writes each changed file through a temporary file and a rename, so a reader never sees a
/// half-written file, and removes files the spec no longer produces. Unchanged files are not
/// touched, so cargo does not rebuild the crate.
pub fn write(crate_dir: &Path, files: &Files) -> io::Result<usize> {
    let mut written = 0;
    for difference in differences(crate_dir, files)? {
        match difference {
            Difference::Changed { path, .. } | Difference::Missing(path) => {
                let target = crate_dir.join(&path);
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent)?;
                }
                let temporary = target.with_extension("rs.regenerating");
                fs::write(&temporary, &files[&path])?;
                fs::rename(&temporary, &target)?;
                written += 1;
            }
            Difference::Stale(path) => {
                fs::remove_file(crate_dir.join(path))?;
                written += 1;
            }
        }
    }
    Ok(written)
}

/// Generated files in the owned directory that the generator no longer produces.
fn stale_files(crate_dir: &Path, files: &Files) -> io::Result<Vec<PathBuf>> {
    let owned = crate_dir.join(OWNED_DIR);
    let entries = match fs::read_dir(&owned) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut stale = Vec::new();
    for entry in entries {
        let entry = entry?;
        let relative = Path::new(OWNED_DIR).join(entry.file_name());
        if files.contains_key(&relative) || !entry.file_type()?.is_file() {
            continue;
        }
        let generated =
            fs::read_to_string(entry.path()).is_ok_and(|text| text.starts_with(GENERATED_MARK));
        if generated {
            stale.push(relative);
        }
    }
    stale.sort();
    Ok(stale)
}
