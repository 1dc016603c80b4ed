//! Order of what each consumer read (Jepsen's Kafka workload): `poll-skip`,
//! `nonmonotonic-poll`, `int-poll-skip`, `int-nonmonotonic-poll`.
//!
//! For one consumer and one partition, successive reads should move forward one known offset at
//! a time. "Known offsets" are the offsets any send or poll observed a value at; offsets holding
//! only transaction markers are not values and may be passed over.
//!
//! - int-*: inside a single poll's records.
//! - poll-skip / nonmonotonic-poll: from the last record of one poll to the first of the next.
//!   A change of assignment (a rebalance, or a restart), or polls made in different group
//!   generations, reset the comparison: Jepsen likewise does not count skips across
//!   rebalances under `subscribe`.

use super::finding::{CheckOutcome, Finding};
use super::observations::Observations;
use crate::history::{Event, History};
use crate::protocol::types::*;
use std::collections::BTreeMap;

pub struct PollOrder {
    pub poll_skip: CheckOutcome,
    pub nonmonotonic_poll: CheckOutcome,
    pub int_poll_skip: CheckOutcome,
    pub int_nonmonotonic_poll: CheckOutcome,
}

/// Known offsets strictly between `a` and `b` in `tp`. A read_committed consumer rightly passes
/// over offsets that hold only records of transactions that did not commit.
fn skipped(obs: &Observations, tp: &TopicPartition, a: Offset, b: Offset, read_committed: bool) -> Vec<Offset> {
    if b <= a + 1 {
        return Vec::new();
    }
    obs.partition(tp).map_or(Vec::new(), |p| {
        p.known_offsets(a + 1, b)
            .filter(|o| !(read_committed && p.values_at(*o).all(|v| obs.is_uncommitted(v))))
            .collect()
    })
}

pub fn poll_order(history: &History, obs: &Observations) -> PollOrder {
    let mut poll_skip = Vec::new();
    let mut nonmonotonic = Vec::new();
    let mut int_skip = Vec::new();
    let mut int_nonmonotonic = Vec::new();
    // Per consumer, per partition: the last offset it read (keyed by consumer first, so that a
    // poll looks its partitions up without cloning them, and a rebalance drops them at once).
    let mut last_read: BTreeMap<NodeId, BTreeMap<TopicPartition, Offset>> = BTreeMap::new();
    let mut last_generation: BTreeMap<NodeId, Option<i32>> = BTreeMap::new();
    let mut any_poll = false;
    let read_committed = history.read_committed_nodes();
    for entry in &history.entries {
        let consumer = entry.node;
        match &entry.event {
            Event::Assigned { .. } => {
                last_read.remove(&consumer);
            }
            Event::Polled { partitions, generation } => {
                any_poll = true;
                // A poll from another generation than the previous one: a rebalance happened
                // between them, so positions may legitimately jump.
                if last_generation.insert(consumer, *generation).is_some_and(|g| g != *generation) {
                    last_read.remove(&consumer);
                }
                // Named only for a finding: most polls have none.
                let who = || history.node_name(consumer);
                let last_read = last_read.entry(consumer).or_default();
                for p in partitions {
                    let Some(&(first, _)) = p.records.first() else { continue };
                    for pair in p.records.windows(2) {
                        let (a, b) = (pair[0].0, pair[1].0);
                        if b <= a {
                            int_nonmonotonic.push(
                                Finding::new(format!(
                                    "{} read offset {b} of {} right after offset {a} in the same poll",
                                    who(),
                                    p.tp
                                ))
                                .at(entry.time_ms)
                                .partition(&p.tp)
                                .offsets([a, b])
                                .nodes([who()]),
                            );
                        } else {
                            let gap = skipped(obs, &p.tp, a, b, read_committed.contains(&consumer));
                            if !gap.is_empty() {
                                int_skip.push(
                                    Finding::new(format!("{} jumped from offset {a} to {b} of {} within one poll, skipping {} known offset(s)", who(), p.tp, gap.len()))
                                        .at(entry.time_ms).partition(&p.tp).offsets(gap).nodes([who()]),
                                );
                            }
                        }
                    }
                    if let Some(&previous) = last_read.get(&p.tp) {
                        if first <= previous {
                            nonmonotonic.push(
                                Finding::new(format!(
                                    "{} read offset {first} of {} after having read up to offset {previous}",
                                    who(),
                                    p.tp
                                ))
                                .at(entry.time_ms)
                                .partition(&p.tp)
                                .offsets([previous, first])
                                .nodes([who()]),
                            );
                        } else {
                            let gap = skipped(obs, &p.tp, previous, first, read_committed.contains(&consumer));
                            if !gap.is_empty() {
                                poll_skip.push(
                                    Finding::new(format!("{} jumped from offset {previous} to {first} of {} between polls, skipping {} known offset(s)", who(), p.tp, gap.len()))
                                        .at(entry.time_ms).partition(&p.tp).offsets(gap).nodes([who()]),
                                );
                            }
                        }
                    }
                    let last = p.records.last().map(|r| r.0).unwrap_or(first);
                    match last_read.get_mut(&p.tp) {
                        Some(read) => *read = last,
                        None => {
                            last_read.insert(p.tp.clone(), last);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let outcome = |name: &str, findings: Vec<Finding>| {
        if any_poll {
            CheckOutcome::new(name, findings)
        } else {
            CheckOutcome::not_applicable(name, "no consumer polled")
        }
    };
    PollOrder {
        poll_skip: outcome("poll-skip", poll_skip),
        nonmonotonic_poll: outcome("nonmonotonic-poll", nonmonotonic),
        int_poll_skip: outcome("int-poll-skip", int_skip),
        int_nonmonotonic_poll: outcome("int-nonmonotonic-poll", int_nonmonotonic),
    }
}
