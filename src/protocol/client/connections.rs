//! Per-broker connection backoff of a client (`ClusterConnectionStates`): after a connection to a
//! broker fails, the client waits `reconnect.backoff.ms`, doubling per consecutive failure up to
//! `reconnect.backoff.max.ms` (with Kafka's 20% jitter), before it tries that broker again.
//! Without it a client would hammer a dead broker.

use crate::protocol::types::{BrokerId, SimTime};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Kafka's defaults (`CommonClientConfigs`).
pub const RECONNECT_BACKOFF_MS: u64 = 50;
pub const RECONNECT_BACKOFF_MAX_MS: u64 = 1000;

#[derive(Clone, Debug, Default)]
struct Backoff {
    failures: u32,
    until_ms: SimTime,
}

#[derive(Clone, Debug, Default)]
pub struct ConnectionStates {
    backoffs: BTreeMap<BrokerId, Backoff>,
}

impl ConnectionStates {
    pub fn is_ready(&self, broker: BrokerId, now: SimTime) -> bool {
        self.backoffs.get(&broker).is_none_or(|b| now >= b.until_ms)
    }

    /// When `broker` may be tried again (None if it may now).
    pub fn ready_at(&self, broker: BrokerId, now: SimTime) -> Option<SimTime> {
        self.backoffs.get(&broker).map(|b| b.until_ms).filter(|t| *t > now)
    }

    pub fn on_failure(&mut self, broker: BrokerId, now: SimTime, rng: &mut ChaCha8Rng) {
        let backoff = self.backoffs.entry(broker).or_default();
        let exp = (RECONNECT_BACKOFF_MS as f64 * 2f64.powi(backoff.failures.min(20) as i32))
            .min(RECONNECT_BACKOFF_MAX_MS as f64);
        let wait = (exp * rng.gen_range(0.8..1.2)).round() as SimTime;
        backoff.failures += 1;
        backoff.until_ms = now + wait.max(1);
    }

    pub fn on_success(&mut self, broker: BrokerId) {
        self.backoffs.remove(&broker);
    }

    /// The earliest time a backed-off broker becomes ready again.
    pub fn next_ready_at(&self, now: SimTime) -> Option<SimTime> {
        self.backoffs.values().map(|b| b.until_ms).filter(|t| *t > now).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn backoff_doubles_up_to_the_cap_and_resets_on_success() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut c = ConnectionStates::default();
        let b = BrokerId(2);
        c.on_failure(b, 0, &mut rng);
        let first = c.ready_at(b, 0).unwrap();
        assert!((40..=60).contains(&first), "{first}");
        for _ in 0..10 {
            c.on_failure(b, 0, &mut rng);
        }
        let capped = c.ready_at(b, 0).unwrap();
        assert!((800..=1200).contains(&capped), "{capped}");
        assert!(!c.is_ready(b, 10));
        c.on_success(b);
        assert!(c.is_ready(b, 10));
    }
}
