//! Changes to one value on its way through a stage, which deviations add: applied in the
//! order the deviations are declared, so that two deviations of the same value compose. The
//! faithful simulator has none.

/// The changes to a value of type `T`.
pub(crate) struct Tweaks<T>(Vec<fn(T) -> T>);

impl<T> Tweaks<T> {
    /// Adds `tweak` after those already there.
    pub fn push(&mut self, tweak: fn(T) -> T) {
        self.0.push(tweak);
    }

    /// `value` with every tweak applied, in order.
    pub fn apply(&self, value: T) -> T {
        self.0.iter().fold(value, |value, tweak| tweak(value))
    }

    /// True when nothing changes the value.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T> Default for Tweaks<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> std::fmt::Debug for Tweaks<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} tweak(s)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tweaks_apply_in_the_order_added() {
        let mut tweaks = Tweaks::<u32>::default();
        assert!(tweaks.is_empty());
        assert_eq!(tweaks.apply(3), 3);
        tweaks.push(|n| n + 1);
        tweaks.push(|n| n * 10);
        assert_eq!(tweaks.apply(3), 40);
    }
}
