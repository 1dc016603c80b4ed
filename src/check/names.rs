//! Every check name a scenario may list (SCENARIO-FORMAT.md), grouped as the format groups them.

/// Jepsen's Kafka workload anomaly names.
pub const HISTORY_ANOMALIES: &[&str] = &[
    "lost-write",
    "unseen",
    "duplicate",
    "inconsistent-offsets",
    "poll-skip",
    "nonmonotonic-poll",
    "nonmonotonic-send",
    "int-poll-skip",
    "int-nonmonotonic-poll",
    "int-send-skip",
    "G0",
    "G1a",
    "G1c",
];

/// Kafka's replication invariants, checked at every recorded state change.
pub const PROTOCOL_INVARIANTS: &[&str] = &[
    "leader-in-isr",
    "single-leader-per-epoch",
    "monotonic-high-watermark",
    "log-matching",
    "committed-data-loss",
    "group-exclusive-assignment",
];

/// Liveness after the heal-and-settle phase.
pub const LIVENESS: &[&str] = &["converged"];

pub fn is_known_check(name: &str) -> bool {
    HISTORY_ANOMALIES.contains(&name) || PROTOCOL_INVARIANTS.contains(&name) || LIVENESS.contains(&name)
}

pub fn all_checks() -> impl Iterator<Item = &'static str> {
    HISTORY_ANOMALIES.iter().chain(PROTOCOL_INVARIANTS).chain(LIVENESS).copied()
}
