//! Serving reads on the leader: Fetch from followers and consumers (`ReplicaManager.fetchMessages`,
//! `Partition.fetchRecords`) with its purgatory (`DelayedFetch`), OffsetsForLeaderEpoch, Metadata
//! and ListOffsets.
//!
//! - Consumers read up to the high watermark (`read_uncommitted`) or the last stable offset
//!   (`read_committed`); followers read up to the log end offset.
//! - KIP-320: a fetch carrying a stale leader epoch gets FENCED_LEADER_EPOCH, a newer one
//!   UNKNOWN_LEADER_EPOCH; a follower whose last fetched epoch disagrees with the leader's log is
//!   told where the logs diverge instead of being given data.
//! - A fetch with less than `fetch.min.bytes` available waits up to `max_wait_ms`.

use super::*;
use crate::protocol::config::broker::TruncationMode;
use crate::protocol::config::planted_bug::PlantedBug;
use crate::protocol::errors::ErrorCode;
use crate::protocol::log::batch::RecordBatch;

impl Broker {
    pub(super) fn handle_fetch(
        &mut self,
        now: SimTime,
        from: NodeId,
        correlation_id: u64,
        request: FetchRequest,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let mut responses = Vec::with_capacity(request.partitions.len());
        for partition in &request.partitions {
            responses.push(self.read_partition(now, &request, partition, true, out));
        }
        let bytes: u64 = responses.iter().flat_map(|r| r.batches.iter()).map(|b| b.size_bytes as u64).sum();
        let any_error = responses.iter().any(|r| !r.error.is_none() || r.diverging_epoch.is_some());
        if request.max_wait_ms == 0 || bytes >= request.min_bytes.max(1) || any_error {
            let partitions = Self::leave_out_unchanged(&request, responses);
            Self::respond(out, from, correlation_id, Response::Fetch(FetchResponse { partitions }));
            return;
        }
        let id = self.next_delayed_id;
        self.next_delayed_id += 1;
        out.set_timer(now + request.max_wait_ms, BrokerTimer::DelayedFetchTimeout(id));
        for partition in &request.partitions {
            self.delayed_fetch_watchers.entry(partition.tp.clone()).or_default().insert(id);
        }
        self.delayed_fetches.insert(id, DelayedFetch { from, correlation_id, request });
    }

    /// A follower's fetch response carries only the partitions it must hear about
    /// (`IncrementalFetchContext`, KIP-227): with `__consumer_offsets`' 50 partitions a follower
    /// fetches dozens of idle partitions, and answering each one every time costs a response
    /// entry here and a pass over it at the follower (about 4% of a reference run's simulation
    /// instructions). A partition left out changes nothing at the follower: it has no records to
    /// append and would set the high watermark it already has.
    fn leave_out_unchanged(
        request: &FetchRequest,
        responses: Vec<FetchPartitionResponse>,
    ) -> Vec<FetchPartitionResponse> {
        if request.replica_id.is_none() {
            return responses;
        }
        debug_assert_eq!(request.partitions.len(), responses.len(), "one response per requested partition");
        request
            .partitions
            .iter()
            .zip(responses)
            .filter(|(asked, answer)| {
                let nothing_new = answer.error.is_none()
                    && answer.diverging_epoch.is_none()
                    && answer.batches.is_empty()
                    && asked.fetcher_high_watermark == Some(answer.high_watermark.min(asked.fetch_offset));
                !nothing_new
            })
            .map(|(_, answer)| answer)
            .collect()
    }

    /// Takes a parked fetch out of the purgatory and its watch lists.
    pub(super) fn unpark_fetch(&mut self, id: u64) -> Option<DelayedFetch> {
        let delayed = self.delayed_fetches.remove(&id)?;
        for partition in &delayed.request.partitions {
            if let Some(watchers) = self.delayed_fetch_watchers.get_mut(&partition.tp) {
                watchers.remove(&id);
                if watchers.is_empty() {
                    self.delayed_fetch_watchers.remove(&partition.tp);
                }
            }
        }
        Some(delayed)
    }

    /// Reads one partition for a fetch. `record_fetch` updates the follower's state (only on
    /// the first read of a fetch, not when a delayed fetch completes).
    fn read_partition(
        &mut self,
        now: SimTime,
        request: &FetchRequest,
        p: &FetchPartition,
        record_fetch: bool,
        out: &mut Outbox<BrokerTimer>,
    ) -> FetchPartitionResponse {
        let tp = &p.tp;
        let Some(state) = self.partitions.get(tp) else {
            let error = if self.image.partitions.contains_key(tp) {
                ErrorCode::NotLeaderOrFollower
            } else {
                ErrorCode::UnknownTopicOrPartition
            };
            return FetchPartitionResponse::error(tp.clone(), error);
        };
        if !matches!(state.role, Role::Leader(_)) {
            return FetchPartitionResponse::error(tp.clone(), ErrorCode::NotLeaderOrFollower);
        }
        if let Some(epoch) = p.current_leader_epoch {
            if epoch < state.leader_epoch {
                return FetchPartitionResponse::error(tp.clone(), ErrorCode::FencedLeaderEpoch);
            }
            if epoch > state.leader_epoch {
                return FetchPartitionResponse::error(tp.clone(), ErrorCode::UnknownLeaderEpoch);
            }
        }
        let log = &self.disk.logs[tp];
        let mut response = FetchPartitionResponse {
            tp: tp.clone(),
            error: ErrorCode::None,
            high_watermark: log.high_watermark(),
            last_stable_offset: log.last_stable_offset(),
            log_start_offset: log.log_start_offset(),
            log_end_offset: log.log_end_offset(),
            diverging_epoch: None,
            batches: Vec::new(),
            aborted_transactions: Vec::new(),
        };
        let is_follower = request.replica_id.is_some();
        if let (true, Some(last_fetched_epoch), TruncationMode::LeaderEpoch) =
            (is_follower, p.last_fetched_epoch, self.config.truncation)
        {
            let (epoch, end_offset) = log.epoch_cache().end_offset_for(last_fetched_epoch, log.log_end_offset());
            if epoch < last_fetched_epoch || end_offset < p.fetch_offset {
                response.diverging_epoch = Some((epoch, end_offset));
                return response;
            }
        }
        let max_offset = match (is_follower, request.isolation_level) {
            (true, _) => log.log_end_offset(),
            (false, IsolationLevel::ReadUncommitted) => log.high_watermark(),
            (false, IsolationLevel::ReadCommitted) => response.last_stable_offset,
        };
        match log.read(p.fetch_offset, p.partition_max_bytes, max_offset) {
            Ok(batches) => {
                if !is_follower && request.isolation_level == IsolationLevel::ReadCommitted {
                    // The aborted transactions overlapping what is returned, so the consumer can
                    // drop their records (`FetchResponse.abortedTransactions`).
                    let end = batches.last().map_or(p.fetch_offset, |b| b.next_offset());
                    response.aborted_transactions = log
                        .aborted_transactions(p.fetch_offset, end)
                        .into_iter()
                        .map(|a| (a.producer_id, a.first_offset))
                        .collect();
                }
                response.batches = batches;
                if !is_follower {
                    plant_consumer_fetch_bug(self.config.planted_bug, &mut response.batches);
                }
            }
            Err(_) => {
                response.error = ErrorCode::OffsetOutOfRange;
                return response;
            }
        }
        if let (Some(follower), true) = (request.replica_id, record_fetch) {
            let leader_log_end_offset = log.log_end_offset();
            let log_end_offset_moved = match self.partitions.get_mut(tp).map(|s| &mut s.role) {
                Some(Role::Leader(leader)) => {
                    leader.update_follower_fetch_state(follower, p.fetch_offset, now, leader_log_end_offset)
                }
                _ => false,
            };
            self.maybe_expand_isr(now, tp, follower, out);
            if log_end_offset_moved {
                self.maybe_increment_high_watermark(now, tp, out);
            }
        }
        response
    }

    /// Completes the parked fetches of `changed` partitions that now have enough data (after an
    /// append or a high-watermark move there): `DelayedOperationPurgatory.checkAndComplete` by
    /// partition key, rather than every parked fetch over all its partitions.
    pub(super) fn try_complete_delayed_fetches(
        &mut self,
        now: SimTime,
        changed: &[TopicPartition],
        out: &mut Outbox<BrokerTimer>,
    ) {
        let watching: BTreeSet<u64> =
            changed.iter().filter_map(|tp| self.delayed_fetch_watchers.get(tp)).flatten().copied().collect();
        let ready: Vec<u64> = watching
            .into_iter()
            .filter(|id| self.delayed_fetches.get(id).is_some_and(|d| self.delayed_fetch_is_ready(&d.request)))
            .collect();
        for id in ready {
            self.complete_delayed_fetch(now, id, out);
        }
    }

    fn delayed_fetch_is_ready(&self, request: &FetchRequest) -> bool {
        let mut bytes = 0;
        for p in &request.partitions {
            let Some(state) = self.partitions.get(&p.tp) else { return true };
            if !matches!(state.role, Role::Leader(_)) || p.current_leader_epoch.is_some_and(|e| e != state.leader_epoch)
            {
                return true; // leadership moved: answer now with the error
            }
            let log = &self.disk.logs[&p.tp];
            let max_offset = match (request.replica_id.is_some(), request.isolation_level) {
                (true, _) => log.log_end_offset(),
                (false, IsolationLevel::ReadUncommitted) => log.high_watermark(),
                (false, IsolationLevel::ReadCommitted) => log.last_stable_offset(),
            };
            if p.fetch_offset > max_offset || p.fetch_offset < log.log_start_offset() {
                return true;
            }
            bytes += log.bytes_available(p.fetch_offset, max_offset);
            // Enough already: the rest cannot make it less ready (a consumer's parked fetch
            // lists hundreds of partitions, and every append there asks this).
            if bytes >= request.min_bytes.max(1) {
                return true;
            }
        }
        false
    }

    fn complete_delayed_fetch(&mut self, now: SimTime, id: u64, out: &mut Outbox<BrokerTimer>) {
        let Some(delayed) = self.unpark_fetch(id) else { return };
        let responses = delayed
            .request
            .partitions
            .iter()
            .map(|p| self.read_partition(now, &delayed.request, p, false, out))
            .collect();
        let partitions = Self::leave_out_unchanged(&delayed.request, responses);
        Self::respond(out, delayed.from, delayed.correlation_id, Response::Fetch(FetchResponse { partitions }));
    }

    pub(super) fn expire_delayed_fetch(&mut self, id: u64, out: &mut Outbox<BrokerTimer>) {
        // The time passed to reads only matters for follower state, which delayed reads skip.
        self.complete_delayed_fetch(0, id, out);
    }

    pub(super) fn handle_offsets_for_leader_epoch(
        &mut self,
        from: NodeId,
        correlation_id: u64,
        partitions: Vec<(TopicPartition, LeaderEpoch, LeaderEpoch)>,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let answers = partitions
            .into_iter()
            .map(|(tp, current_leader_epoch, leader_epoch)| {
                let Some(state) = self.partitions.get(&tp).filter(|s| matches!(s.role, Role::Leader(_))) else {
                    return (tp, ErrorCode::NotLeaderOrFollower, -1, -1);
                };
                if current_leader_epoch < state.leader_epoch {
                    return (tp, ErrorCode::FencedLeaderEpoch, -1, -1);
                }
                if current_leader_epoch > state.leader_epoch {
                    return (tp, ErrorCode::UnknownLeaderEpoch, -1, -1);
                }
                let log = &self.disk.logs[&tp];
                let (epoch, end_offset) = match self.config.truncation {
                    TruncationMode::LeaderEpochKip101 => {
                        log.epoch_cache().end_offset_for_kip101(leader_epoch, log.log_end_offset())
                    }
                    _ => log.epoch_cache().end_offset_for(leader_epoch, log.log_end_offset()),
                };
                (tp, ErrorCode::None, epoch, end_offset)
            })
            .collect();
        Self::respond(out, from, correlation_id, Response::OffsetsForLeaderEpoch { partitions: answers });
    }

    pub(super) fn handle_metadata(
        &mut self,
        from: NodeId,
        correlation_id: u64,
        topics: Vec<TopicName>,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let names: Vec<TopicName> =
            if topics.is_empty() { self.image.topics.keys().cloned().collect() } else { topics };
        let topics = names
            .into_iter()
            .map(|name| match self.image.topics.get(&name) {
                None => TopicMetadata { name, error: ErrorCode::UnknownTopicOrPartition, partitions: Vec::new() },
                Some(topic) => {
                    let partitions = (0..topic.partitions)
                        .filter_map(|p| {
                            let tp = TopicPartition::new(name.clone(), p);
                            let r = self.image.partitions.get(&tp)?;
                            Some(PartitionMetadata {
                                tp,
                                error: if r.leader.is_some() { ErrorCode::None } else { ErrorCode::LeaderNotAvailable },
                                leader: r.leader,
                                leader_epoch: r.leader_epoch,
                                replicas: r.replicas.clone(),
                                isr: r.isr.clone(),
                            })
                        })
                        .collect();
                    TopicMetadata { name, error: ErrorCode::None, partitions }
                }
            })
            .collect();
        let brokers = self.image.live_brokers();
        Self::respond(out, from, correlation_id, Response::Metadata { brokers, topics });
    }

    pub(super) fn handle_list_offsets(
        &mut self,
        from: NodeId,
        correlation_id: u64,
        isolation_level: IsolationLevel,
        partitions: Vec<(TopicPartition, Option<LeaderEpoch>, OffsetSpec)>,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let answers = partitions
            .into_iter()
            .map(|(tp, current_leader_epoch, spec)| {
                let Some(state) = self.partitions.get(&tp) else {
                    return (tp, ErrorCode::NotLeaderOrFollower, -1, -1);
                };
                let Role::Leader(leader) = &state.role else {
                    return (tp, ErrorCode::NotLeaderOrFollower, -1, -1);
                };
                if let Some(epoch) = current_leader_epoch {
                    if epoch < state.leader_epoch {
                        return (tp, ErrorCode::FencedLeaderEpoch, -1, -1);
                    }
                    if epoch > state.leader_epoch {
                        return (tp, ErrorCode::UnknownLeaderEpoch, -1, -1);
                    }
                }
                let log = &self.disk.logs[&tp];
                let offset = match spec {
                    OffsetSpec::Earliest => log.log_start_offset(),
                    OffsetSpec::Latest => {
                        // A new leader whose high watermark has not reached its epoch's start
                        // cannot answer yet (Kafka's OFFSET_NOT_AVAILABLE, zoo #7).
                        if leader.leader_epoch_start_offset > log.high_watermark() {
                            return (tp, ErrorCode::OffsetNotAvailable, -1, -1);
                        }
                        match isolation_level {
                            IsolationLevel::ReadUncommitted => log.high_watermark(),
                            IsolationLevel::ReadCommitted => log.last_stable_offset(),
                        }
                    }
                };
                (tp, ErrorCode::None, offset, state.leader_epoch)
            })
            .collect();
        Self::respond(out, from, correlation_id, Response::ListOffsets { partitions: answers });
    }
}

/// The planted fetch bugs (`kafkasim.planted.bug`), on what a consumer is sent: one partition's
/// batches, in log order. Followers always get the log as it is, so the replicas stay intact and
/// only what consumers read is wrong.
fn plant_consumer_fetch_bug(bug: PlantedBug, batches: &mut Vec<RecordBatch>) {
    match bug {
        PlantedBug::FetchDropsMiddleBatch if batches.len() >= 3 => {
            batches.remove(batches.len() / 2);
        }
        PlantedBug::FetchReversesBatches => batches.reverse(),
        _ => {}
    }
}
