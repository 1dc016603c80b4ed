//! A consuming application: reads every partition of its topics from the beginning through a
//! `KafkaConsumer` (manual assignment), polling whenever it is not busy processing; each record
//! costs `processing_ms_per_record` of simulated time. Every poll is recorded in the history.

use crate::history::Event;
use crate::protocol::actor::{Actor, Control, Outbox};
use crate::protocol::consumer::config::ConsumerConfig;
use crate::protocol::consumer::kafka_consumer::{ConsumerTimer, KafkaConsumer};
use crate::protocol::message::Message;
use crate::protocol::types::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

#[derive(Clone, Debug)]
pub enum ConsumerAppTimer {
    Consumer(ConsumerTimer),
    ProcessingDone,
}

pub struct ConsumerApp {
    topics: Vec<TopicName>,
    consumer: KafkaConsumer,
    assigned: bool,
    processing_ms_per_record: u64,
    busy_until_ms: SimTime,
}

impl ConsumerApp {
    pub fn new(
        topics: Vec<TopicName>,
        config: ConsumerConfig,
        bootstrap: Vec<BrokerId>,
        processing_ms_per_record: u64,
        seed: u64,
    ) -> ConsumerApp {
        let consumer = KafkaConsumer::new(config, bootstrap, topics.clone(), ChaCha8Rng::seed_from_u64(seed));
        ConsumerApp { topics, consumer, assigned: false, processing_ms_per_record, busy_until_ms: 0 }
    }

    fn with_consumer(
        &mut self,
        out: &mut Outbox<ConsumerAppTimer>,
        f: impl FnOnce(&mut KafkaConsumer, &mut Outbox<ConsumerTimer>),
    ) {
        let mut inner = Outbox::default();
        f(&mut self.consumer, &mut inner);
        out.absorb(inner, ConsumerAppTimer::Consumer);
    }

    /// Assigns every partition once the metadata is known, then polls while there is data.
    fn step(&mut self, now: SimTime, out: &mut Outbox<ConsumerAppTimer>) {
        if !self.assigned {
            let counts = self.consumer.partition_counts();
            if self.topics.iter().all(|t| counts.contains_key(t)) {
                let partitions = self
                    .topics
                    .iter()
                    .flat_map(|t| (0..counts[t]).map(move |p| TopicPartition::new(t.clone(), p)))
                    .collect::<Vec<_>>();
                out.record(Event::Assigned { partitions: partitions.clone(), generation: None });
                self.consumer.assign(partitions);
                self.consumer.seek_to_beginning();
                self.assigned = true;
                self.with_consumer(out, |c, o| c.run(now, o));
            }
        }
        if now < self.busy_until_ms || !self.consumer.has_buffered_records() {
            return;
        }
        let polled = self.consumer.poll();
        let records: u64 = polled.iter().map(|p| p.records.len() as u64).sum();
        out.record(Event::Polled { partitions: polled });
        self.with_consumer(out, |c, o| c.run(now, o));
        if self.processing_ms_per_record > 0 && records > 0 {
            self.busy_until_ms = now + records * self.processing_ms_per_record;
            out.set_timer(self.busy_until_ms, ConsumerAppTimer::ProcessingDone);
        } else if self.consumer.has_buffered_records() {
            out.set_timer(now + 1, ConsumerAppTimer::ProcessingDone);
        }
    }
}

impl Actor for ConsumerApp {
    type Timer = ConsumerAppTimer;

    fn on_start(&mut self, now: SimTime, out: &mut Outbox<ConsumerAppTimer>) {
        self.with_consumer(out, |c, o| c.run(now, o));
    }

    fn on_message(&mut self, now: SimTime, _from: NodeId, message: Message, out: &mut Outbox<ConsumerAppTimer>) {
        if let Message::Response { correlation_id, response } = message {
            self.with_consumer(out, |c, o| c.on_response(now, correlation_id, response, o));
        }
        self.step(now, out);
    }

    fn on_timer(&mut self, now: SimTime, timer: ConsumerAppTimer, out: &mut Outbox<ConsumerAppTimer>) {
        if let ConsumerAppTimer::Consumer(t) = timer {
            self.with_consumer(out, |c, o| c.on_timer(now, t, o));
        }
        self.step(now, out);
    }

    fn on_disconnect(&mut self, now: SimTime, peer: NodeId, out: &mut Outbox<ConsumerAppTimer>) {
        self.with_consumer(out, |c, o| c.on_disconnect(now, peer, o));
    }

    fn on_control(&mut self, _now: SimTime, control: Control, _out: &mut Outbox<ConsumerAppTimer>) {
        if let Control::SetProcessingMsPerRecord(ms) = control {
            self.processing_ms_per_record = ms;
        }
    }
}
