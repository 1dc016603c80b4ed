//! The metadata image: the state that replaying the metadata log produces (KRaft's
//! `MetadataImage`). The controller builds it as it appends; every broker builds its own copy
//! from the records it fetches, so a broker cut off from the controller acts on stale metadata,
//! exactly as a real one does.

use crate::protocol::config::broker::TopicConfig;
use crate::protocol::config::planted_bug::PlantedBug;
use crate::protocol::message::{MetadataRecord, PartitionRegistration};
use crate::protocol::types::*;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerState {
    pub broker_epoch: i64,
    /// Identifies one process lifetime of the broker; a new one means it restarted.
    pub incarnation: u64,
    pub fenced: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicImage {
    pub partitions: i32,
    pub config: TopicConfig,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MetadataImage {
    /// Offset of the next record to apply (= records applied so far).
    pub next_offset: Offset,
    pub brokers: BTreeMap<BrokerId, BrokerState>,
    pub topics: BTreeMap<TopicName, TopicImage>,
    pub partitions: BTreeMap<TopicPartition, PartitionRegistration>,
    /// The run's `kafkasim.planted.bug`: with `unclean-election-keeps-isr` the controller commits
    /// leaders outside their ISR on purpose, so replaying such a record must not panic.
    pub planted_bug: PlantedBug,
}

impl MetadataImage {
    /// An empty image for a run that plants `planted_bug` (`PlantedBug::None`: Kafka's rules).
    pub fn new(planted_bug: PlantedBug) -> MetadataImage {
        MetadataImage { planted_bug, ..MetadataImage::default() }
    }

    pub fn apply(&mut self, offset: Offset, record: &MetadataRecord) {
        assert_eq!(offset, self.next_offset, "metadata records must be applied in order");
        match record {
            MetadataRecord::RegisterBroker { broker, broker_epoch, incarnation } => {
                self.brokers.insert(
                    *broker,
                    BrokerState { broker_epoch: *broker_epoch, incarnation: *incarnation, fenced: true },
                );
            }
            MetadataRecord::FenceBroker { broker, broker_epoch } => {
                if let Some(state) = self.brokers.get_mut(broker) {
                    if state.broker_epoch == *broker_epoch {
                        state.fenced = true;
                    }
                }
            }
            MetadataRecord::UnfenceBroker { broker, broker_epoch } => {
                if let Some(state) = self.brokers.get_mut(broker) {
                    if state.broker_epoch == *broker_epoch {
                        state.fenced = false;
                    }
                }
            }
            MetadataRecord::Topic { name, partitions, config } => {
                self.topics.insert(name.clone(), TopicImage { partitions: *partitions, config: config.clone() });
            }
            MetadataRecord::Partition { tp, registration } => {
                // leader ∈ ISR is what `leader-in-isr` checks in the history; the planted bug that
                // breaks it must reach the checker rather than end the run here.
                let leader_outside_isr_planted = self.planted_bug == PlantedBug::UncleanElectionKeepsIsr;
                registration.assert_invariants(tp, leader_outside_isr_planted);
                self.partitions.insert(tp.clone(), registration.clone());
            }
        }
        self.next_offset = offset + 1;
    }

    /// Whether a broker is registered and not fenced (KRaft's `isActive`).
    pub fn is_active(&self, broker: BrokerId) -> bool {
        self.brokers.get(&broker).is_some_and(|b| !b.fenced)
    }

    pub fn topic_config(&self, topic: &str) -> Option<&TopicConfig> {
        self.topics.get(topic).map(|t| &t.config)
    }

    /// Brokers that are registered and unfenced, in id order (what clients get as the cluster).
    pub fn live_brokers(&self) -> Vec<BrokerId> {
        self.brokers.iter().filter(|(_, s)| !s.fenced).map(|(id, _)| *id).collect()
    }
}
