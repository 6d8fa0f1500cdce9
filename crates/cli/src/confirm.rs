//! Asking before a command changes many devices at once or removes something: on a terminal
//! the operator answers; elsewhere (a script, CI) only `--yes` goes ahead, so that nothing
//! destructive runs because nobody was there to say no.

use std::io::{BufRead as _, IsTerminal as _, Write as _};

use crate::exit::Failure;

/// Goes ahead with what `change` says when `yes` was given or the operator says so on the
/// terminal; else refuses, and nothing is sent.
pub fn go_ahead(change: &str, yes: bool) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Failure::Usage(format!(
            "{change}: give --yes to go ahead (nothing was sent)"
        )));
    }
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "{change}. Go ahead? [y/N] ");
    let _ = stderr.flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if is_yes(&answer) {
        Ok(())
    } else {
        Err(Failure::Usage("not confirmed: nothing was sent".into()))
    }
}

fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yes_goes_ahead() {
        assert!(is_yes("y\n") && is_yes(" YES ") && is_yes("yes"));
        assert!(!is_yes("") && !is_yes("n") && !is_yes("yep") && !is_yes("\n"));
        // Given --yes, nothing is asked.
        assert!(go_ahead("deploy to 3 devices", true).is_ok());
    }
}
