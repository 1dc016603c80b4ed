//! KIP-320 on the consumer: after a leader change, validate the position before fetching again
//! (`SubscriptionState.maybeValidatePositionForCurrentLeader`, `OffsetsForLeaderEpochUtils`,
//! `SubscriptionState.maybeCompleteValidation`; KAFKA-7747).
//!
//! The position carries the leader epoch of the last record returned. When the metadata shows
//! a newer leader epoch for the partition, the consumer asks the new leader (OffsetsForLeaderEpoch)
//! where that epoch ends in its log:
//! - at or after the position: nothing of what was read has changed, fetching resumes;
//! - before the position: the log was truncated under the consumer (an unclean election). With a
//!   reset policy it reads on from the end offset, "the first offset known to diverge", so it
//!   reads the records that replaced the ones it saw, rather than silently skipping them;
//! - unknown (the leader has no such epoch): the position is reset by `auto.offset.reset`.
//!
//! kafkasim treats `auto.offset.reset = none` like the policies here, where Kafka would raise
//! `LogTruncationException` to the application. `position.validation = none` turns all of this
//! off: the consumer before KIP-320, which zoo #5 needs.

use super::kafka_consumer::{InflightKind, KafkaConsumer, PositionState};
use crate::history::Event;
use crate::protocol::actor::Outbox;
use crate::protocol::consumer::kafka_consumer::ConsumerTimer;
use crate::protocol::errors::ErrorCode;
use crate::protocol::log::epoch_cache::UNDEFINED_EPOCH;
use crate::protocol::message::Request;
use crate::protocol::types::*;
use std::collections::BTreeMap;

/// What the new leader's answer means for a position.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Validation {
    /// The log still holds what was read below the position.
    Valid,
    /// The log diverges from what was read at this offset, below the position.
    Truncated(Offset),
    /// The leader does not know the epoch: reset by `auto.offset.reset`.
    Unknown,
}

/// `SubscriptionState.maybeCompleteValidation`'s decision for `position`, given where the new
/// leader says the position's epoch ends.
pub(super) fn validate(position: Offset, end_epoch: LeaderEpoch, end_offset: Offset) -> Validation {
    if end_epoch == UNDEFINED_EPOCH || end_offset < 0 {
        Validation::Unknown
    } else if end_offset < position {
        Validation::Truncated(end_offset)
    } else {
        Validation::Valid
    }
}

impl KafkaConsumer {
    /// After a metadata update: a partition whose leader epoch moved on is validated before its
    /// next fetch, if anything was read from it at a known epoch. Its buffered records are
    /// dropped: they may come from the old leader's log.
    pub(super) fn note_leader_changes(&mut self) {
        for (tp, state) in self.assignment.iter_mut() {
            let Some(epoch) = self.metadata.leader_epoch_of(tp) else { continue };
            let leader_changed = self.known_leader_epochs.get(tp).is_some_and(|fetched| *fetched < epoch);
            if !(self.config.position_validation && leader_changed && self.consumed_epochs.contains_key(tp)) {
                continue;
            }
            if let PositionState::Valid(position) = *state {
                *state = PositionState::AwaitingValidation(position);
                self.buffered.remove(tp);
                self.skip_after_buffered.remove(tp);
            }
        }
        self.known_leader_epochs.retain(|tp, _| self.assignment.contains_key(tp));
    }

    pub(super) fn send_validations(&mut self, now: SimTime, out: &mut Outbox<ConsumerTimer>) {
        let mut per_broker: BTreeMap<BrokerId, Vec<(TopicPartition, LeaderEpoch, LeaderEpoch)>> = BTreeMap::new();
        for (tp, state) in &self.assignment {
            let PositionState::AwaitingValidation(_) = state else { continue };
            let (Some(leader), Some(current), Some(consumed)) =
                (self.metadata.leader_of(tp), self.metadata.leader_epoch_of(tp), self.consumed_epochs.get(tp))
            else {
                self.metadata.need_update = true;
                continue;
            };
            if self.connections.is_ready(leader, now) {
                per_broker.entry(leader).or_default().push((tp.clone(), current, *consumed));
            }
        }
        for (broker, partitions) in per_broker {
            let tps: Vec<TopicPartition> = partitions.iter().map(|(tp, _, _)| tp.clone()).collect();
            for tp in &tps {
                if let Some(state) = self.assignment.get_mut(tp) {
                    if let PositionState::AwaitingValidation(position) = *state {
                        *state = PositionState::Validating(position);
                    }
                }
            }
            let request = Request::OffsetsForLeaderEpoch { replica_id: None, partitions };
            self.send_request(now, broker, request, InflightKind::ValidatePositions { partitions: tps }, out);
        }
    }

    /// The request failed or went unanswered: ask again (after a metadata refresh).
    pub(super) fn retry_validation(&mut self, partitions: &[TopicPartition]) {
        for tp in partitions {
            if let Some(state) = self.assignment.get_mut(tp) {
                if let PositionState::Validating(position) = *state {
                    *state = PositionState::AwaitingValidation(position);
                }
            }
        }
        self.metadata.request_update();
    }

    pub(super) fn on_validation_response(
        &mut self,
        answers: Vec<(TopicPartition, ErrorCode, LeaderEpoch, Offset)>,
        out: &mut Outbox<ConsumerTimer>,
    ) {
        for (tp, error, end_epoch, end_offset) in answers {
            let Some(PositionState::Validating(position)) = self.assignment.get(&tp).copied() else { continue };
            if !error.is_none() {
                // NOT_LEADER_OR_FOLLOWER, or a leader epoch that is stale or not yet known there.
                self.retry_validation(std::slice::from_ref(&tp));
                continue;
            }
            let next = match validate(position, end_epoch, end_offset) {
                Validation::Valid => PositionState::Valid(position),
                Validation::Truncated(diverging_offset) => {
                    out.record(Event::LogTruncationDetected { tp: tp.clone(), position, diverging_offset });
                    self.consumed_epochs.insert(tp.clone(), end_epoch);
                    PositionState::Valid(diverging_offset)
                }
                Validation::Unknown => {
                    self.consumed_epochs.remove(&tp);
                    PositionState::AwaitingReset(self.reset_spec())
                }
            };
            self.assignment.insert(tp, next);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_past_where_its_epoch_ends_was_truncated_under_the_consumer() {
        assert_eq!(validate(100, 3, 100), Validation::Valid, "the epoch ends exactly at the position");
        assert_eq!(validate(100, 3, 250), Validation::Valid, "the epoch went on after the position");
        assert_eq!(validate(100, 2, 80), Validation::Truncated(80), "records 80..100 were replaced");
        assert_eq!(validate(100, UNDEFINED_EPOCH, -1), Validation::Unknown);
    }
}
