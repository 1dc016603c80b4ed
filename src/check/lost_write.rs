//! `lost-write` and `unseen` (Jepsen's Kafka workload).
//!
//! - lost-write: a send was acknowledged at offset o, consumers read that partition on both sides
//!   of o (an offset below it and one above: o was within their reach), yet no poll ever
//!   returned the value. The data is gone: typically truncated away after an
//!   unclean election or a follower truncating to a stale high watermark.
//! - unseen: a send was acknowledged but no poll returned its value by the end of the run
//!   (after healing and settling, consumers should have read everything). Every lost write is
//!   unseen; an unseen write that is not lost was simply never reached by a consumer.
//!
//! Only topics some consumer read are judged; acks=0 sends (no offset) count for `unseen` only.
//! A consumer that got its position from `auto.offset.reset = latest` skips what came before it
//! on purpose: an offset below such a reset that no single consumer read across is not judged
//! lost (it stays `unseen`, with that reason).

use super::finding::{CheckOutcome, Finding};
use super::observations::{Observations, PartitionObservations};
use crate::history::{Event, History, TruncationCause};
use crate::protocol::types::*;

/// Who removed `(offset, value)` from which replica, and why — the explanation a learner needs.
fn truncations_of(history: &History, tp: &TopicPartition, offset: Offset, value: ValueId) -> Vec<String> {
    history
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::Truncated { tp: t, removed, cause, .. } if t == tp && removed.contains(&(offset, value)) => {
                Some(format!(
                    "{} removed it at t={} ms ({})",
                    history.node_name(e.node),
                    e.time_ms,
                    match cause {
                        TruncationCause::LeaderEpoch => "truncation by leader epoch after a leader change",
                        TruncationCause::DivergingEpoch => "diverging epoch reported by the leader",
                        TruncationCause::HighWatermark => "truncation to its high watermark",
                        TruncationCause::PowerLoss => "power loss: the record was never fsynced",
                    }
                ))
            }
            _ => None,
        })
        .collect()
}

/// Whether consumers passed `offset` only by jumping to the log end (`auto.offset.reset =
/// latest`), never by reading across it.
fn skipped_by_latest_reset(part: &PartitionObservations, offset: Offset) -> bool {
    part.latest_resets.iter().any(|reset| *reset > offset) && !part.read_across(offset)
}

/// Whether the final leader still holds `value` at `offset`.
fn still_in_final_log(history: &History, tp: &TopicPartition, offset: Offset, value: ValueId) -> bool {
    let leader = history.final_state.partitions.iter().find(|p| &p.tp == tp).and_then(|p| p.leader);
    history
        .final_state
        .replicas
        .iter()
        .find(|r| &r.tp == tp && Some(r.broker) == leader)
        .is_some_and(|r| r.records.binary_search(&(offset, value)).is_ok())
}

pub fn lost_write(history: &History, obs: &Observations) -> CheckOutcome {
    if obs.consumed_topics.is_empty() {
        return CheckOutcome::not_applicable("lost-write", "no consumer read any topic");
    }
    let mut findings = Vec::new();
    for (value, ack) in &obs.acked {
        let Some(offset) = ack.offset else { continue };
        let Some((tp, ..)) = obs.invoked.get(value) else { continue };
        if !obs.consumed_topics.contains(&tp.topic) {
            continue;
        }
        let Some(part) = obs.partition(tp) else { continue };
        let read_past = part.max_polled_offset.is_some_and(|m| m > offset);
        let read_before = part.min_polled_offset.is_some_and(|m| m < offset);
        if !(read_past && read_before) || part.polled.contains(value) || skipped_by_latest_reset(part, offset) {
            continue;
        }
        let now_there: Vec<ValueId> =
            part.by_offset.get(&offset).into_iter().flatten().filter(|v| *v != value).copied().collect();
        let mut message = format!(
            "{value} from {} was acknowledged at offset {offset} of {tp} (t={} ms), consumers read {tp} up to offset {}, but never read it",
            history.producer_name(*value),
            ack.time_ms,
            part.max_polled_offset.unwrap_or(-1)
        );
        if let Some(other) = now_there.first() {
            message.push_str(&format!("; offset {offset} holds {other} instead"));
        }
        let truncations = truncations_of(history, tp, offset, *value);
        if !truncations.is_empty() {
            message.push_str(&format!("; {}", truncations.join("; ")));
        } else if still_in_final_log(history, tp, offset, *value) {
            message.push_str(
                "; it is still in the log: the consumers skipped it (a commit moved past it before it was processed)",
            );
        }
        findings.push(Finding::new(message).at(ack.time_ms).partition(tp).offsets([offset]).values([*value]));
    }
    CheckOutcome::new("lost-write", findings)
}

pub fn unseen(history: &History, obs: &Observations) -> CheckOutcome {
    if obs.consumed_topics.is_empty() {
        return CheckOutcome::not_applicable("unseen", "no consumer read any topic");
    }
    let mut findings = Vec::new();
    for (value, ack) in &obs.acked {
        let Some((tp, ..)) = obs.invoked.get(value) else { continue };
        if !obs.consumed_topics.contains(&tp.topic) || obs.was_polled(*value) {
            continue;
        }
        let at = ack.offset.map_or("with acks=0 (offset unknown)".to_string(), |o| format!("at offset {o}"));
        let skipped = match (ack.offset, obs.partition(tp)) {
            (Some(offset), Some(part)) if skipped_by_latest_reset(part, offset) => {
                " (consumers started after it: auto.offset.reset = latest)"
            }
            _ => "",
        };
        findings.push(
            Finding::new(format!(
                "{value} from {} was acknowledged {at} of {tp} (t={} ms) and no consumer had read it by the end of the run{skipped}",
                history.producer_name(*value),
                ack.time_ms
            ))
            .at(ack.time_ms)
            .partition(tp)
            .offsets(ack.offset)
            .values([*value]),
        );
    }
    CheckOutcome::new("unseen", findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{Entry, PolledPartition};

    const PRODUCER: NodeId = NodeId::Client(0);
    const READER: NodeId = NodeId::Client(1);
    const OTHER_READER: NodeId = NodeId::Client(2);

    fn tp() -> TopicPartition {
        TopicPartition::new("orders", 0)
    }

    fn value(sequence: u64) -> ValueId {
        ValueId { producer: 0, sequence }
    }

    /// Offsets 0..7 written and acknowledged (value n at offset n), then the given reads.
    fn history(reads: Vec<(NodeId, Event)>) -> History {
        let mut entries = Vec::new();
        for n in 0..7 {
            entries.push(Entry {
                time_ms: n,
                node: PRODUCER,
                event: Event::SendInvoked { tp: tp(), key: None, value: value(n) },
            });
            entries.push(Entry {
                time_ms: n,
                node: PRODUCER,
                event: Event::SendAcked { tp: tp(), value: value(n), offset: Some(n as Offset) },
            });
        }
        for (i, (node, event)) in reads.into_iter().enumerate() {
            entries.push(Entry { time_ms: 100 + i as SimTime, node, event });
        }
        History { entries, ..History::default() }
    }

    fn assigned() -> Event {
        Event::Assigned { partitions: vec![tp()], generation: None }
    }

    fn polled(offsets: &[u64]) -> Event {
        let records = offsets.iter().map(|n| (*n as Offset, value(*n))).collect();
        Event::Polled { partitions: vec![PolledPartition { tp: tp(), records }], generation: None }
    }

    fn reset_to_latest(offset: Offset) -> Event {
        Event::PositionReset { tp: tp(), offset, to_latest: true }
    }

    fn lost_offsets(history: &History) -> Vec<Offset> {
        let outcome = lost_write(history, &Observations::from_history(history));
        outcome.findings.iter().flat_map(|f| f.offsets.clone()).collect()
    }

    #[test]
    fn records_a_restarted_consumer_jumped_over_with_latest_are_unseen_not_lost() {
        let history = history(vec![
            (READER, assigned()),
            (READER, polled(&[0, 1])),
            (READER, assigned()), // the consumer restarted without a committed offset
            (READER, reset_to_latest(5)),
            (READER, polled(&[5, 6])),
        ]);
        assert_eq!(lost_offsets(&history), Vec::<Offset>::new());
        let unseen = unseen(&history, &Observations::from_history(&history));
        assert_eq!(unseen.findings.len(), 3);
        assert!(unseen.findings[0].message.contains("auto.offset.reset = latest"), "{}", unseen.findings[0].message);
    }

    #[test]
    fn records_a_committed_offset_jumped_over_are_lost() {
        // At-most-once: the restarted consumer resumed from a commit that covered 2..4.
        let history = history(vec![
            (READER, assigned()),
            (READER, polled(&[0, 1])),
            (READER, assigned()),
            (READER, polled(&[5, 6])),
        ]);
        assert_eq!(lost_offsets(&history), vec![2, 3, 4]);
    }

    #[test]
    fn a_record_another_consumer_read_across_is_lost_even_below_a_latest_reset() {
        let history = history(vec![
            (OTHER_READER, assigned()),
            (OTHER_READER, polled(&[0, 1, 2])),
            (OTHER_READER, polled(&[4, 5])),
            (READER, assigned()),
            (READER, reset_to_latest(5)),
            (READER, polled(&[5, 6])),
        ]);
        assert_eq!(lost_offsets(&history), vec![3]);
    }
}
