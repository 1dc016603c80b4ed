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

use super::finding::{CheckOutcome, Finding};
use super::observations::Observations;
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
        if !(read_past && read_before) || part.polled.contains(value) {
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
        findings.push(
            Finding::new(format!(
                "{value} from {} was acknowledged {at} of {tp} (t={} ms) and no consumer had read it by the end of the run",
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
