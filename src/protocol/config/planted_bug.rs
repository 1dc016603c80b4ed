//! Planted bugs: `kafkasim.planted.bug`, a kafkasim-only key of the broker config
//! (`[cluster.config]`) and of the consumer config (`[consumer_groups.config]`).
//!
//! Each value removes one safeguard of Kafka's protocol, so that a scenario can show the checker
//! named beside it catching the failure it exists for. Kafka has none of these bugs; the real
//! historical protocol versions are separate keys (`replication.truncation`, `metadata.version`,
//! `transaction.partition.verification.enable`). Default `none`: the protocol as Kafka runs it.

/// One planted bug, or none. A run plants at most one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PlantedBug {
    #[default]
    None,
    /// Controller: an unclean election makes an out-of-sync replica leader but leaves the ISR as it
    /// was, instead of setting it to the new leader alone (`PartitionChangeBuilder`).
    /// Caught by `leader-in-isr`.
    UncleanElectionKeepsIsr,
    /// Controller: a leader change keeps the leader epoch instead of bumping it, so two brokers
    /// lead the same epoch. Caught by `single-leader-per-epoch`.
    LeaderChangeKeepsEpoch,
    /// Leader: the high watermark is set to the smallest log end offset in the ISR even when that
    /// is lower than the current one (`Partition.maybeIncrementLeaderHW` only moves it forward).
    /// Caught by `monotonic-high-watermark`.
    HighWatermarkFollowsIsrMinimum,
    /// Leader: a fetch response with three or more batches for a partition leaves out one in the
    /// middle. Caught by `int-poll-skip` and `poll-skip`.
    FetchDropsMiddleBatch,
    /// Leader: a fetch response lists a partition's batches newest first. Caught by
    /// `int-nonmonotonic-poll` and `nonmonotonic-poll`.
    FetchReversesBatches,
    /// Consumer group leader: the assignor also gives each member's first partition to the next
    /// member. Caught by `group-exclusive-assignment`.
    AssignorOverlaps,
}

/// (value, bug) for the broker's `kafkasim.planted.bug`.
pub const BROKER_PLANTED_BUGS: &[(&str, PlantedBug)] = &[
    ("none", PlantedBug::None),
    ("unclean-election-keeps-isr", PlantedBug::UncleanElectionKeepsIsr),
    ("leader-change-keeps-epoch", PlantedBug::LeaderChangeKeepsEpoch),
    ("high-watermark-follows-isr-minimum", PlantedBug::HighWatermarkFollowsIsrMinimum),
    ("fetch-drops-middle-batch", PlantedBug::FetchDropsMiddleBatch),
    ("fetch-reverses-batches", PlantedBug::FetchReversesBatches),
];

/// (value, bug) for the consumer's `kafkasim.planted.bug`.
pub const CONSUMER_PLANTED_BUGS: &[(&str, PlantedBug)] =
    &[("none", PlantedBug::None), ("assignor-overlaps", PlantedBug::AssignorOverlaps)];

pub const BROKER_PLANTED_BUG_NAMES: &[&str] = &[
    "none",
    "unclean-election-keeps-isr",
    "leader-change-keeps-epoch",
    "high-watermark-follows-isr-minimum",
    "fetch-drops-middle-batch",
    "fetch-reverses-batches",
];

pub const CONSUMER_PLANTED_BUG_NAMES: &[&str] = &["none", "assignor-overlaps"];

/// The bug a validated value names (`none` for a missing value).
pub fn planted_bug(table: &[(&str, PlantedBug)], value: Option<&str>) -> PlantedBug {
    value.and_then(|v| table.iter().find(|(name, _)| *name == v)).map_or(PlantedBug::None, |(_, bug)| *bug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_validator_lists_name_every_bug_of_their_table() {
        fn names(table: &[(&'static str, PlantedBug)]) -> Vec<&'static str> {
            table.iter().map(|(n, _)| *n).collect()
        }
        assert_eq!(names(BROKER_PLANTED_BUGS), BROKER_PLANTED_BUG_NAMES);
        assert_eq!(names(CONSUMER_PLANTED_BUGS), CONSUMER_PLANTED_BUG_NAMES);
        assert_eq!(planted_bug(BROKER_PLANTED_BUGS, Some("fetch-reverses-batches")), PlantedBug::FetchReversesBatches);
        assert_eq!(planted_bug(CONSUMER_PLANTED_BUGS, None), PlantedBug::None);
    }
}
