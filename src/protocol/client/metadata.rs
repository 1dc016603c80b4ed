//! A client's view of the cluster (`org.apache.kafka.clients.Metadata`): partition leaders and
//! their epochs, learned by Metadata requests to any broker and refreshed on demand (after a
//! NOT_LEADER_OR_FOLLOWER, say) or every `metadata.max.age.ms`. A client only ever knows what
//! the broker it asked knew, so stale metadata is part of the model.

use crate::protocol::errors::ErrorCode;
use crate::protocol::message::TopicMetadata;
use crate::protocol::types::*;
use std::collections::BTreeMap;

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
    pub live_brokers: Vec<BrokerId>,
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
            live_brokers: Vec::new(),
            need_update: true,
            inflight: false,
            last_refresh_ms: 0,
            last_attempt_ms: 0,
        }
    }

    /// The broker to ask next: cycles through the brokers known alive, else the bootstrap list
    /// (Kafka picks the least loaded node; cycling spreads requests the same way and gets past
    /// a dead or partitioned broker on the next attempt).
    pub fn next_broker(&mut self, is_ready: impl Fn(BrokerId) -> bool) -> Option<BrokerId> {
        let candidates = if self.live_brokers.is_empty() { &self.bootstrap } else { &self.live_brokers };
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

    pub fn request_failed(&mut self) {
        self.inflight = false;
        self.need_update = true;
    }

    pub fn update(&mut self, now: SimTime, brokers: Vec<BrokerId>, topics: Vec<TopicMetadata>) {
        self.inflight = false;
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
        for (tp, info) in &self.partitions {
            if info.leader.is_some() {
                self.available_partitions.entry(tp.topic.clone()).or_default().push(tp.partition);
            }
        }
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
