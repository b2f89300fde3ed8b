//! Faults injected on purpose, so the widget's retries, timeouts and "in flight" states can
//! be tested against a real server: a share of checkout requests answered `503` before
//! anything is done, and a delay before every checkout answer.

use std::time::Duration;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Faults {
    /// Share of checkout requests refused with `503`, from 0 (none) to 1 (all).
    pub fail_rate: f64,
    /// Wait before answering a checkout request. An order is stored before the wait, so a
    /// client that gives up meanwhile has lost only the answer, as on a real network; its
    /// retry with the same key must then get the same order.
    pub delay: Duration,
}

impl Faults {
    /// Rolls the dice for one request.
    pub fn should_fail(&self) -> bool {
        if self.fail_rate >= 1.0 {
            return true;
        }
        if self.fail_rate <= 0.0 {
            return false;
        }
        // If the OS has no randomness to give, serving beats failing.
        getrandom::u64().is_ok_and(|r| unit_interval(r) < self.fail_rate)
    }
}

/// Maps 64 random bits to [0, 1) using the top 53, the precision of an `f64`.
fn unit_interval(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_0_never_fails_and_rate_1_always_fails() {
        let never = Faults::default();
        let always = Faults {
            fail_rate: 1.0,
            ..Faults::default()
        };
        for _ in 0..1000 {
            assert!(!never.should_fail());
            assert!(always.should_fail());
        }
    }

    #[test]
    fn a_half_rate_fails_about_half_the_time() {
        let half = Faults {
            fail_rate: 0.5,
            ..Faults::default()
        };
        let failed = (0..10_000).filter(|_| half.should_fail()).count();
        assert!((4_000..6_000).contains(&failed), "{failed}");
    }

    #[test]
    fn random_bits_map_into_the_unit_interval() {
        assert_eq!(unit_interval(0), 0.0);
        assert!(unit_interval(u64::MAX) < 1.0);
        assert_eq!(unit_interval(1 << 63), 0.5);
    }
}
