//! The reads of a consume-transform-produce application (KIP-98's read-process-write loop; in
//! Jepsen's Kafka workload a transaction mixes polls and sends). A transactional producer with
//! `read_topics` owns a `KafkaConsumer` with `isolation.level = read_committed` that reads every
//! partition of those topics from the beginning by manual assignment; the application polls it
//! while its transaction is open, so the history records, from the producer's node, what each
//! transaction read (the write-read dependencies `G1c` needs).
//!
//! Positions live in the process only: no group, no `sendOffsetsToTransaction`, and a restarted
//! process reads again from the beginning. Kafka validates nothing a transaction read: the
//! commit makes its writes visible whatever happened to what it polled.

use super::consumer_app::assign_all_from_beginning;
use crate::history::{Event, PolledPartition};
use crate::protocol::actor::Outbox;
use crate::protocol::consumer::config::{ConsumerConfig, OffsetReset};
use crate::protocol::consumer::kafka_consumer::{ConsumerTimer, KafkaConsumer};
use crate::protocol::message::{IsolationLevel, Response};
use crate::protocol::types::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The reader's requests carry correlation ids above this one; the producer's stay below it.
const READER_CORRELATION_IDS_AFTER: u64 = 1 << 39;

pub struct TransactionReads {
    topics: Vec<TopicName>,
    consumer: KafkaConsumer,
    assigned: bool,
}

impl TransactionReads {
    pub fn new(topics: Vec<TopicName>, client_id: String, bootstrap: Vec<BrokerId>, seed: u64) -> TransactionReads {
        let mut config = ConsumerConfig::defaults();
        config.isolation_level = IsolationLevel::ReadCommitted;
        config.auto_offset_reset = OffsetReset::Earliest;
        config.client_id = client_id;
        let mut consumer = KafkaConsumer::new(config, bootstrap, topics.clone(), ChaCha8Rng::seed_from_u64(seed));
        consumer.number_requests_after(READER_CORRELATION_IDS_AFTER);
        TransactionReads { topics, consumer, assigned: false }
    }

    /// Whether a response answers one of the reader's requests.
    pub fn owns(correlation_id: u64) -> bool {
        correlation_id > READER_CORRELATION_IDS_AFTER
    }

    /// Starts fetching metadata.
    pub fn start(&mut self, now: SimTime, out: &mut Outbox<ConsumerTimer>) {
        self.consumer.run(now, out);
    }

    /// Assigns every partition (and starts fetching) as soon as the metadata knows the topics.
    fn assign_when_known(&mut self, now: SimTime, out: &mut Outbox<ConsumerTimer>) {
        if !self.assigned {
            self.assigned = assign_all_from_beginning(&mut self.consumer, &self.topics, now, out);
        }
    }

    /// One `poll` inside the open transaction, recorded in the history when it returned records.
    pub fn poll(&mut self, now: SimTime, out: &mut Outbox<ConsumerTimer>) {
        self.assign_when_known(now, out);
        let partitions: Vec<PolledPartition> = self.consumer.poll(now, out);
        if !partitions.is_empty() {
            out.record(Event::Polled { partitions, generation: None });
        }
    }

    pub fn on_response(
        &mut self,
        now: SimTime,
        correlation_id: u64,
        response: Response,
        out: &mut Outbox<ConsumerTimer>,
    ) {
        self.consumer.on_response(now, correlation_id, response, out);
        self.assign_when_known(now, out);
    }

    pub fn on_timer(&mut self, now: SimTime, timer: ConsumerTimer, out: &mut Outbox<ConsumerTimer>) {
        self.consumer.on_timer(now, timer, out);
    }

    pub fn on_disconnect(&mut self, now: SimTime, peer: NodeId, out: &mut Outbox<ConsumerTimer>) {
        self.consumer.on_disconnect(now, peer, out);
    }
}
