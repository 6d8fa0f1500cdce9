//! Seeds: the one every run starts from unless told otherwise, the seed of each check derived
//! from it by the check's name, and single values drawn from a strategy.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestRunner};

/// The seed CI runs with unless `CONFORMANCE_SEED` (the kit) or `--seed` (`check-server`)
/// names another.
pub const DEFAULT_SEED: u64 = 0x4a75_6e6f_7353_7061;

/// The seed of the check `name` in a run seeded with `base`: the same everywhere, so a run is
/// repeated by its base seed alone.
pub fn of(base: u64, name: &str) -> u64 {
    base ^ fnv1a(name)
}

/// FNV-1a: a stable hash (unlike `DefaultHasher`), so a check's seed is the same everywhere.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The value `strategy` draws from `seed`.
pub fn draw<S: Strategy>(strategy: &S, seed: u64) -> Result<S::Value, String> {
    let mut runner = TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    });
    first(strategy, &mut runner)
}

/// The first value `strategy` draws from proptest's deterministic runner: a value of the
/// schema when which one does not matter.
pub fn draw_any<S: Strategy>(strategy: &S) -> Result<S::Value, String> {
    first(strategy, &mut TestRunner::deterministic())
}

fn first<S: Strategy>(strategy: &S, runner: &mut TestRunner) -> Result<S::Value, String> {
    strategy
        .new_tree(runner)
        .map(|tree| tree.current())
        .map_err(|reason| format!("no value can be drawn: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checks_seed_depends_on_its_name_and_a_draw_on_its_seed() {
        assert_ne!(
            of(DEFAULT_SEED, "getJob request"),
            of(DEFAULT_SEED, "getJob")
        );
        assert_eq!(of(7, "a"), of(7, "a"));
        let strategy = 0u64..1_000_000;
        assert_eq!(draw(&strategy, 1), draw(&strategy, 1));
        assert_ne!(draw(&strategy, 1), draw(&strategy, 2));
        assert_eq!(draw_any(&strategy), draw_any(&strategy));
    }
}
