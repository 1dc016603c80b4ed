//! The follower side of replication (`AbstractFetcherThread`, `ReplicaFetcherThread`): one
//! fetcher per leader broker; each partition first finds where to truncate (OffsetsForLeaderEpoch,
//! or straight away in the pre-KIP-101 protocol), then fetches from its log end offset, appends,
//! and takes the leader's high watermark (capped at its own log end).

use super::*;
use crate::history::{Event, TruncationCause};
use crate::protocol::config::broker::TruncationMode;
use crate::protocol::errors::ErrorCode;
use crate::protocol::replica::truncation::{truncation_after_epoch_answer, truncation_after_kip101_answer};

impl Broker {
    /// Sends whatever requests the fetcher for `leader` can send now.
    pub(super) fn pump_fetcher(&mut self, now: SimTime, leader: BrokerId, out: &mut Outbox<BrokerTimer>) {
        let Some(fetcher) = self.fetchers.get(&leader) else { return };
        let due = |delayed_until_ms: SimTime| delayed_until_ms <= now;
        let truncating: Vec<TopicPartition> = fetcher
            .partitions
            .iter()
            .filter(|(_, s)| matches!(s, FetchState::Truncating { delayed_until_ms } if due(*delayed_until_ms)))
            .map(|(tp, _)| tp.clone())
            .collect();
        let fetching: Vec<TopicPartition> = fetcher
            .partitions
            .iter()
            .filter(|(_, s)| matches!(s, FetchState::Fetching { delayed_until_ms } if due(*delayed_until_ms)))
            .map(|(tp, _)| tp.clone())
            .collect();
        let (epochs_inflight, fetch_inflight) = (fetcher.epochs_inflight, fetcher.fetch_inflight);
        let earliest_delay = fetcher
            .partitions
            .values()
            .map(|s| match s {
                FetchState::Truncating { delayed_until_ms } | FetchState::Fetching { delayed_until_ms } => {
                    *delayed_until_ms
                }
            })
            .filter(|t| *t > now)
            .min();
        if let Some(at) = earliest_delay {
            out.set_timer(at, BrokerTimer::FetcherBackoff(leader));
        }

        if !epochs_inflight && !truncating.is_empty() {
            let mut asked = BTreeMap::new();
            let partitions = truncating
                .iter()
                .map(|tp| {
                    let epoch = self.disk.logs[tp].latest_epoch().unwrap_or(-1);
                    asked.insert(tp.clone(), epoch);
                    (tp.clone(), self.partitions[tp].leader_epoch, epoch)
                })
                .collect();
            let request = Request::OffsetsForLeaderEpoch { replica_id: Some(self.id), partitions };
            self.fetchers.get_mut(&leader).expect("fetcher exists").epochs_inflight = true;
            self.send_request(
                now,
                Self::node(leader),
                request,
                Pending::OffsetsForLeaderEpoch { leader, asked },
                self.config.replica_socket_timeout_ms,
                out,
            );
        }
        if !fetch_inflight && !fetching.is_empty() {
            let send_last_fetched_epoch = self.config.truncation == TruncationMode::LeaderEpoch;
            let mut fetch_offsets = BTreeMap::new();
            let partitions = fetching
                .iter()
                .map(|tp| {
                    let log = &self.disk.logs[tp];
                    fetch_offsets.insert(tp.clone(), log.log_end_offset());
                    FetchPartition {
                        tp: tp.clone(),
                        current_leader_epoch: Some(self.partitions[tp].leader_epoch),
                        fetch_offset: log.log_end_offset(),
                        last_fetched_epoch: if send_last_fetched_epoch { log.latest_epoch() } else { None },
                        partition_max_bytes: self.config.replica_fetch_max_bytes,
                        fetcher_high_watermark: Some(log.high_watermark()),
                    }
                })
                .collect();
            let request = Request::Fetch(FetchRequest {
                replica_id: Some(self.id),
                max_wait_ms: self.config.replica_fetch_wait_max_ms,
                min_bytes: self.config.replica_fetch_min_bytes,
                max_bytes: u64::MAX,
                isolation_level: IsolationLevel::ReadUncommitted,
                partitions,
            });
            self.fetchers.get_mut(&leader).expect("fetcher exists").fetch_inflight = true;
            let timeout = self.config.replica_socket_timeout_ms.max(self.config.replica_fetch_wait_max_ms + 1);
            self.send_request(
                now,
                Self::node(leader),
                request,
                Pending::ReplicaFetch { leader, fetch_offsets },
                timeout,
                out,
            );
        }
    }

    fn fetch_state(&self, leader: BrokerId, tp: &TopicPartition) -> Option<&FetchState> {
        self.fetchers.get(&leader).and_then(|f| f.partitions.get(tp))
    }

    fn set_fetch_state(&mut self, leader: BrokerId, tp: &TopicPartition, state: FetchState) {
        if let Some(slot) = self.fetchers.get_mut(&leader).and_then(|f| f.partitions.get_mut(tp)) {
            *slot = state;
        }
    }

    pub(super) fn on_offsets_for_leader_epoch_response(
        &mut self,
        now: SimTime,
        leader: BrokerId,
        asked: BTreeMap<TopicPartition, LeaderEpoch>,
        answers: Vec<(TopicPartition, ErrorCode, LeaderEpoch, Offset)>,
        out: &mut Outbox<BrokerTimer>,
    ) {
        if let Some(f) = self.fetchers.get_mut(&leader) {
            f.epochs_inflight = false;
        }
        for (tp, error, leader_epoch, end_offset) in answers {
            if !matches!(self.fetch_state(leader, &tp), Some(FetchState::Truncating { .. })) {
                continue;
            }
            // Our log changed since we asked (another round truncated it): ask again.
            if self.disk.logs[&tp].latest_epoch().unwrap_or(-1) != asked.get(&tp).copied().unwrap_or(-1) {
                continue;
            }
            if !error.is_none() {
                self.set_fetch_state(
                    leader,
                    &tp,
                    FetchState::Truncating { delayed_until_ms: now + REPLICA_FETCH_BACKOFF_MS },
                );
                continue;
            }
            let log = &self.disk.logs[&tp];
            let decision = match self.config.truncation {
                TruncationMode::LeaderEpochKip101 => truncation_after_kip101_answer(log, end_offset),
                _ => truncation_after_epoch_answer(log, leader_epoch, end_offset),
            };
            self.truncate(&tp, decision.truncate_to, TruncationCause::LeaderEpoch, out);
            let next = if decision.completed {
                FetchState::Fetching { delayed_until_ms: 0 }
            } else {
                FetchState::Truncating { delayed_until_ms: 0 }
            };
            self.set_fetch_state(leader, &tp, next);
        }
        self.pump_fetcher(now, leader, out);
    }

    pub(super) fn on_replica_fetch_response(
        &mut self,
        now: SimTime,
        leader: BrokerId,
        fetch_offsets: BTreeMap<TopicPartition, Offset>,
        response: FetchResponse,
        out: &mut Outbox<BrokerTimer>,
    ) {
        if let Some(f) = self.fetchers.get_mut(&leader) {
            f.fetch_inflight = false;
        }
        for p in response.partitions {
            let tp = p.tp.clone();
            if !matches!(self.fetch_state(leader, &tp), Some(FetchState::Fetching { .. })) {
                continue;
            }
            if fetch_offsets.get(&tp) != Some(&self.disk.logs[&tp].log_end_offset()) {
                continue; // the log moved since this fetch was sent
            }
            match p.error {
                ErrorCode::None => self.process_fetched_partition(now, leader, p, out),
                ErrorCode::OffsetOutOfRange => {
                    // Before leader epochs a follower could be ahead of a new leader: cut back.
                    let log_end = self.disk.logs[&tp].log_end_offset();
                    if p.log_end_offset >= 0 && p.log_end_offset < log_end {
                        self.truncate(&tp, p.log_end_offset, TruncationCause::HighWatermark, out);
                    } else {
                        self.set_fetch_state(
                            leader,
                            &tp,
                            FetchState::Fetching { delayed_until_ms: now + REPLICA_FETCH_BACKOFF_MS },
                        );
                    }
                }
                _ => {
                    // Not the leader (yet), or our epoch is stale: wait for metadata, retry later.
                    self.set_fetch_state(
                        leader,
                        &tp,
                        FetchState::Fetching { delayed_until_ms: now + REPLICA_FETCH_BACKOFF_MS },
                    );
                }
            }
        }
        self.pump_fetcher(now, leader, out);
    }

    fn process_fetched_partition(
        &mut self,
        now: SimTime,
        leader: BrokerId,
        p: FetchPartitionResponse,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let tp = p.tp;
        if let Some((epoch, end_offset)) = p.diverging_epoch {
            let decision = truncation_after_epoch_answer(&self.disk.logs[&tp], epoch, end_offset);
            self.truncate(&tp, decision.truncate_to, TruncationCause::DivergingEpoch, out);
            if !decision.completed {
                self.set_fetch_state(leader, &tp, FetchState::Truncating { delayed_until_ms: 0 });
            }
            return;
        }
        let topic_config = self.image.topic_config(&tp.topic).cloned();
        let log = self.disk.logs.get_mut(&tp).expect("follower hosts its log");
        for batch in p.batches {
            if batch.next_offset() <= log.log_end_offset() {
                continue;
            }
            let (base_offset, leader_epoch, control) = (batch.base_offset, batch.partition_leader_epoch, batch.control);
            let values: Vec<ValueId> = batch.records.iter().map(|r| r.value).collect();
            if log.append_as_follower(batch).is_err() {
                break; // a gap: refetch from our log end
            }
            out.record(Event::Appended {
                tp: tp.clone(),
                base_offset,
                leader_epoch,
                values,
                control,
                as_leader: false,
            });
        }
        if let Some(config) = &topic_config {
            log.maybe_flush(now, config.flush_messages, config.flush_ms);
        }
        let new_hw = p.high_watermark.min(log.log_end_offset());
        if new_hw != log.high_watermark() && new_hw >= log.log_start_offset() {
            log.set_high_watermark(new_hw);
            out.record(Event::HighWatermark { tp: tp.clone(), high_watermark: log.high_watermark(), is_leader: false });
        }
    }
}
