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

use super::final_logs::FinalLogs;
use super::finding::{CheckOutcome, Finding};
use super::observations::{Ack, AckedWrite, Observations, PartitionObservations};
use crate::history::{Event, History, TruncationCause};
use crate::protocol::types::*;
use std::collections::{BTreeMap, BTreeSet};

/// A record that was acknowledged and then never read: its partition, offset and value.
type Lost<'o> = (&'o TopicPartition, Offset, ValueId);

/// Who removed each of `lost` from which replica, and why — the explanation a learner needs.
/// One pass over the history for all of them; each one's removals in history order.
fn truncations_of(history: &History, lost: &[Lost]) -> Vec<Vec<String>> {
    let mut found = vec![Vec::new(); lost.len()];
    if lost.is_empty() {
        return found;
    }
    let wanted: BTreeMap<Lost, usize> = lost.iter().enumerate().map(|(i, key)| (*key, i)).collect();
    for e in &history.entries {
        let Event::Truncated { tp, removed, cause, .. } = &e.event else { continue };
        let hits: BTreeSet<usize> =
            removed.iter().filter_map(|(offset, value)| wanted.get(&(tp, *offset, *value)).copied()).collect();
        for hit in hits {
            found[hit].push(format!(
                "{} removed it at t={} ms ({})",
                history.node_name(e.node),
                e.time_ms,
                match cause {
                    TruncationCause::LeaderEpoch => "truncation by leader epoch after a leader change",
                    TruncationCause::DivergingEpoch => "diverging epoch reported by the leader",
                    TruncationCause::HighWatermark => "truncation to its high watermark",
                    TruncationCause::PowerLoss => "power loss: the record was never fsynced",
                }
            ));
        }
    }
    found
}

/// Whether consumers passed `offset` only by jumping to the log end (`auto.offset.reset =
/// latest`), never by reading across it.
fn skipped_by_latest_reset(part: &PartitionObservations, offset: Offset) -> bool {
    part.latest_resets.iter().any(|reset| *reset > offset) && !part.read_across(offset)
}

/// Whether the final leader still holds `value` at `offset`.
fn still_in_final_log(finals: &FinalLogs, tp: &TopicPartition, offset: Offset, value: ValueId) -> bool {
    finals.leader_log(tp).is_some_and(|r| r.records.binary_search(&(offset, value)).is_ok())
}

pub fn lost_write(history: &History, obs: &Observations, finals: &FinalLogs) -> CheckOutcome {
    if obs.consumed_topics.is_empty() {
        return CheckOutcome::not_applicable("lost-write", "no consumer read any topic");
    }
    // First the lost records, then their explanations (which need another pass over the history).
    let mut lost: Vec<(Lost, Ack, &PartitionObservations)> = Vec::new();
    for AckedWrite { value, ack, sent_to, polled } in obs.acked_writes() {
        let (Some(offset), Some(part)) = (ack.offset, sent_to) else { continue };
        if !part.consumed {
            continue;
        }
        let read_past = part.max_polled_offset.is_some_and(|m| m > offset);
        let read_before = part.min_polled_offset.is_some_and(|m| m < offset);
        if !(read_past && read_before) || polled || skipped_by_latest_reset(part, offset) {
            continue;
        }
        lost.push(((&part.tp, offset, value), ack, part));
    }
    // Only the findings kept are explained, and searched for in the history's truncations.
    let render = |kept: Vec<(Lost, Ack, &PartitionObservations)>| {
        let keys: Vec<Lost> = kept.iter().map(|(key, ..)| *key).collect();
        let truncations = truncations_of(history, &keys);
        let findings = kept.into_iter().zip(truncations).map(|(((tp, offset, value), ack, part), truncations)| {
            let now_there = part.values_at(offset).find(|v| *v != value);
            let mut message = format!(
                "{value} from {} was acknowledged at offset {offset} of {tp} (t={} ms), consumers read {tp} up to offset {}, but never read it",
                history.producer_name(value),
                ack.time_ms,
                part.max_polled_offset.unwrap_or(-1)
            );
            if let Some(other) = now_there {
                message.push_str(&format!("; offset {offset} holds {other} instead"));
            }
            if !truncations.is_empty() {
                message.push_str(&format!("; {}", truncations.join("; ")));
            } else if still_in_final_log(finals, tp, offset, value) {
                message.push_str(if now_there.is_some() {
                    // Zoo #5: a consumer read this offset from a log that later lost it, and did
                    // not go back when the new leader's log replaced it.
                    "; it is still in the log: the consumers read another record at this offset, from a log that \
                     diverged there, and read on past it (a consumer that does not validate its position after a \
                     leader change, as before KIP-320)"
                } else {
                    "; it is still in the log: the consumers skipped it (a commit moved past it before it was \
                     processed, or a fetch passed over it)"
                });
            }
            Finding::new(message).at(ack.time_ms).partition(tp).offsets([offset]).values([value])
        });
        findings.collect()
    };
    CheckOutcome::rendering("lost-write", lost, |(_, ack, _)| Some(ack.time_ms), render)
}

pub fn unseen(history: &History, obs: &Observations) -> CheckOutcome {
    if obs.consumed_topics.is_empty() {
        return CheckOutcome::not_applicable("unseen", "no consumer read any topic");
    }
    let mut unseen: Vec<(ValueId, Ack, &PartitionObservations)> = Vec::new();
    for AckedWrite { value, ack, sent_to, polled } in obs.acked_writes() {
        let Some(part) = sent_to else { continue };
        if !part.consumed || polled {
            continue;
        }
        unseen.push((value, ack, part));
    }
    // A run whose consumers fell behind leaves every later record unseen: only the findings kept
    // are rendered.
    let render = |kept: Vec<(ValueId, Ack, &PartitionObservations)>| {
        kept.into_iter()
            .map(|(value, ack, part)| {
                let tp = &part.tp;
                let at = ack.offset.map_or("with acks=0 (offset unknown)".to_string(), |o| format!("at offset {o}"));
                let skipped = match ack.offset {
                    Some(offset) if skipped_by_latest_reset(part, offset) => {
                        " (consumers started after it: auto.offset.reset = latest)"
                    }
                    _ => "",
                };
                Finding::new(format!(
                    "{value} from {} was acknowledged {at} of {tp} (t={} ms) and no consumer had read it by the end of the run{skipped}",
                    history.producer_name(value),
                    ack.time_ms
                ))
                .at(ack.time_ms)
                .partition(tp)
                .offsets(ack.offset)
                .values([value])
            })
            .collect()
    };
    CheckOutcome::rendering("unseen", unseen, |(_, ack, _)| Some(ack.time_ms), render)
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
        let outcome = lost_write(history, &Observations::from_history(history), &FinalLogs::from_history(history));
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
