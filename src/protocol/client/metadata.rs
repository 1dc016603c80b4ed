//! A client's view of the cluster (`org.apache.kafka.clients.Metadata`): partition leaders and
//! their epochs, learned by Metadata requests to any broker and refreshed on demand (after a
//! NOT_LEADER_OR_FOLLOWER, say) or every `metadata.max.age.ms`. A client only ever knows what
//! the broker it asked knew, so stale metadata is part of the model.

use crate::protocol::errors::ErrorCode;
use crate::protocol::message::TopicMetadata;
use crate::protocol::types::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionInfo {
    pub leader: Option<BrokerId>,
    pub leader_epoch: LeaderEpoch,
}

#[derive(Clone, Debug)]
pub struct ClientMetadata {
    bootstrap: Vec<BrokerId>,
    next_bootstrap: usize,
    pub topics: Vec<TopicName>,
    pub partition_counts: BTreeMap<TopicName, i32>,
    pub partitions: BTreeMap<TopicPartition, PartitionInfo>,
    /// Per topic, the partitions whose leader is known, ascending (`availablePartitionsForTopic`).
    available_partitions: BTreeMap<TopicName, Vec<i32>>,
    /// Per topic, each partition's leader indexed by partition number (`Cluster.leaderFor`
    /// without a lookup): the sender asks for every partition's leader on every pass.
    leaders_by_partition: BTreeMap<TopicName, Vec<Option<BrokerId>>>,
    pub live_brokers: Vec<BrokerId>,
    /// Brokers whose last Metadata request failed (timed out or lost its connection) and
    /// that have not answered one since.
    unresponsive: BTreeSet<BrokerId>,
    pub need_update: bool,
    pub inflight: bool,
    pub last_refresh_ms: SimTime,
    pub last_attempt_ms: SimTime,
}

impl ClientMetadata {
    pub fn new(bootstrap: Vec<BrokerId>, topics: Vec<TopicName>) -> ClientMetadata {
        assert!(!bootstrap.is_empty(), "a client needs at least one bootstrap broker");
        ClientMetadata {
            bootstrap,
            next_bootstrap: 0,
            topics,
            partition_counts: BTreeMap::new(),
            partitions: BTreeMap::new(),
            available_partitions: BTreeMap::new(),
            leaders_by_partition: BTreeMap::new(),
            live_brokers: Vec::new(),
            unresponsive: BTreeSet::new(),
            need_update: true,
            inflight: false,
            last_refresh_ms: 0,
            last_attempt_ms: 0,
        }
    }

    /// The broker to ask next: cycles through the brokers the last answer listed as alive
    /// (Kafka picks the least loaded node; cycling spreads requests the same way and gets past
    /// a dead or partitioned broker on the next attempt), skipping those that failed to answer.
    ///
    /// When every one of them has failed, the client rebootstraps from its bootstrap list
    /// (`metadata.recovery.strategy = rebootstrap`, Kafka 4.x's default, KIP-899/KIP-1102).
    /// Without this a client whose last answer came from a broker that was cut off with a
    /// minority (and listed only itself as alive) would ask that broker forever. Kafka notices
    /// through failed connection attempts or `metadata.recovery.rebootstrap.trigger.ms`; the
    /// simulator's links have no connection setup, so a failed request stands in for both.
    pub fn next_broker(&mut self, is_ready: impl Fn(BrokerId) -> bool) -> Option<BrokerId> {
        let known = if self.live_brokers.is_empty() { &self.bootstrap } else { &self.live_brokers };
        let candidates: Vec<BrokerId> = if known.iter().all(|b| self.unresponsive.contains(b)) {
            let fresh: Vec<BrokerId> =
                self.bootstrap.iter().copied().filter(|b| !self.unresponsive.contains(b)).collect();
            if fresh.is_empty() {
                // Everyone failed once: start over rather than give up.
                self.unresponsive.clear();
                self.bootstrap.clone()
            } else {
                fresh
            }
        } else {
            known.iter().copied().filter(|b| !self.unresponsive.contains(b)).collect()
        };
        for _ in 0..candidates.len() {
            let broker = candidates[self.next_bootstrap % candidates.len()];
            self.next_bootstrap += 1;
            if is_ready(broker) {
                return Some(broker);
            }
        }
        None
    }

    /// Whether a Metadata request should go out now.
    pub fn should_request(&self, now: SimTime, retry_backoff_ms: u64, max_age_ms: u64) -> bool {
        if self.inflight {
            return false;
        }
        let backoff_over = now >= self.last_attempt_ms + retry_backoff_ms || self.last_attempt_ms == 0;
        (self.need_update && backoff_over) || now >= self.last_refresh_ms + max_age_ms
    }

    pub fn request_sent(&mut self, now: SimTime) {
        self.inflight = true;
        self.last_attempt_ms = now;
    }

    /// The Metadata request to `broker` failed (timed out, or its connection was lost).
    pub fn request_failed(&mut self, broker: Option<BrokerId>) {
        self.inflight = false;
        self.need_update = true;
        if let Some(broker) = broker {
            self.unresponsive.insert(broker);
        }
    }

    /// `from` answered a Metadata request.
    pub fn update(&mut self, now: SimTime, from: BrokerId, brokers: Vec<BrokerId>, topics: Vec<TopicMetadata>) {
        self.inflight = false;
        self.unresponsive.remove(&from);
        self.live_brokers = brokers;
        let mut complete = true;
        for topic in topics {
            if topic.error != ErrorCode::None {
                complete = false;
                continue;
            }
            self.partition_counts.insert(topic.name.clone(), topic.partitions.len() as i32);
            for p in topic.partitions {
                let known = self.partitions.get(&p.tp);
                // Never go back to an older leader epoch (KIP-320's metadata epoch check).
                if known.is_some_and(|k| k.leader_epoch > p.leader_epoch) {
                    continue;
                }
                if p.leader.is_none() {
                    complete = false;
                }
                self.partitions.insert(p.tp, PartitionInfo { leader: p.leader, leader_epoch: p.leader_epoch });
            }
        }
        self.need_update = !complete;
        self.last_refresh_ms = now;
        self.available_partitions.clear();
        self.leaders_by_partition.clear();
        for (tp, info) in &self.partitions {
            if info.leader.is_some() {
                self.available_partitions.entry(tp.topic.clone()).or_default().push(tp.partition);
            }
            let leaders = self.leaders_by_partition.entry(tp.topic.clone()).or_default();
            let index = tp.partition as usize;
            if leaders.len() <= index {
                leaders.resize(index + 1, None);
            }
            leaders[index] = info.leader;
        }
    }

    /// Each partition's leader of `topic`, indexed by partition number (None: unknown).
    pub fn leaders_by_partition(&self, topic: &str) -> &[Option<BrokerId>] {
        self.leaders_by_partition.get(topic).map_or(&[], Vec::as_slice)
    }

    /// The partitions of `topic` whose leader is known, ascending.
    pub fn available_partitions(&self, topic: &str) -> &[i32] {
        self.available_partitions.get(topic).map_or(&[], Vec::as_slice)
    }

    pub fn leader_of(&self, tp: &TopicPartition) -> Option<BrokerId> {
        self.partitions.get(tp).and_then(|p| p.leader)
    }

    pub fn leader_epoch_of(&self, tp: &TopicPartition) -> Option<LeaderEpoch> {
        self.partitions.get(tp).map(|p| p.leader_epoch)
    }

    /// After an error that means "your metadata is stale".
    pub fn request_update(&mut self) {
        self.need_update = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::message::PartitionMetadata;

    fn answer(metadata: &mut ClientMetadata, from: u32, alive: &[u32]) {
        metadata.update(0, BrokerId(from), alive.iter().map(|b| BrokerId(*b)).collect(), Vec::new());
    }

    #[test]
    fn a_client_cut_off_with_a_lone_broker_rebootstraps() {
        let mut metadata = ClientMetadata::new(vec![BrokerId(1), BrokerId(2), BrokerId(3)], Vec::new());
        // Broker 1, cut off with the controller, lists only itself as alive.
        answer(&mut metadata, 1, &[1]);
        assert_eq!(metadata.next_broker(|_| true), Some(BrokerId(1)));
        metadata.request_failed(Some(BrokerId(1)));
        // Every broker the last answer named failed: back to the bootstrap list, without 1.
        let next = metadata.next_broker(|_| true).unwrap();
        assert_ne!(next, BrokerId(1));
        answer(&mut metadata, next.0, &[1, 2, 3]);
        let asked: BTreeSet<BrokerId> = (0..6).filter_map(|_| metadata.next_broker(|_| true)).collect();
        assert_eq!(asked, [BrokerId(2), BrokerId(3)].into(), "1 is skipped until it answers again");
        answer(&mut metadata, 1, &[1, 2, 3]);
        let asked: BTreeSet<BrokerId> = (0..6).filter_map(|_| metadata.next_broker(|_| true)).collect();
        assert_eq!(asked.len(), 3);
    }

    #[test]
    fn when_every_broker_failed_the_client_starts_over() {
        let mut metadata = ClientMetadata::new(vec![BrokerId(1), BrokerId(2)], Vec::new());
        for broker in [1, 2] {
            metadata.request_failed(Some(BrokerId(broker)));
        }
        assert!(metadata.next_broker(|_| true).is_some(), "never stuck with no broker to ask");
        assert_eq!(metadata.next_broker(|b| b == BrokerId(2)), Some(BrokerId(2)));
    }

    #[test]
    fn leaders_by_partition_agree_with_leader_of_and_keep_the_newer_epoch() {
        let mut metadata = ClientMetadata::new(vec![BrokerId(1)], Vec::new());
        let partition = |p: i32, leader: Option<u32>, leader_epoch: LeaderEpoch| PartitionMetadata {
            tp: TopicPartition::new("orders", p),
            error: ErrorCode::None,
            leader: leader.map(BrokerId),
            leader_epoch,
            replicas: Vec::new(),
            isr: Vec::new(),
        };
        let topic = |partitions| vec![TopicMetadata { name: "orders".into(), error: ErrorCode::None, partitions }];
        metadata.update(
            0,
            BrokerId(1),
            vec![BrokerId(1)],
            topic(vec![partition(0, Some(2), 3), partition(1, None, 0)]),
        );
        assert_eq!(metadata.leaders_by_partition("orders"), &[Some(BrokerId(2)), None]);
        // An answer with an older epoch for partition 0 is ignored; partition 1 gets a leader.
        metadata.update(
            1,
            BrokerId(1),
            vec![BrokerId(1)],
            topic(vec![partition(0, Some(3), 2), partition(1, Some(1), 1)]),
        );
        assert_eq!(metadata.leaders_by_partition("orders"), &[Some(BrokerId(2)), Some(BrokerId(1))]);
        for p in 0..2 {
            let tp = TopicPartition::new("orders", p);
            assert_eq!(metadata.leaders_by_partition("orders")[p as usize], metadata.leader_of(&tp));
        }
        assert!(metadata.leaders_by_partition("unknown").is_empty());
    }
}
