//! A producing application: sends records with unique values at `messages_per_sec` to one topic
//! through a `KafkaProducer`, until the workload phase ends.

use super::keys::{KeyChooser, KeyDistribution};
use crate::protocol::actor::{Actor, Control, Outbox};
use crate::protocol::message::Message;
use crate::protocol::producer::config::ProducerConfig;
use crate::protocol::producer::kafka_producer::{KafkaProducer, ProducerTimer};
use crate::protocol::types::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

#[derive(Clone, Debug)]
pub struct ProducerWorkload {
    pub topic: TopicName,
    pub messages_per_sec: f64,
    pub keys: u64,
    pub key_names: Vec<String>,
    pub key_distribution: KeyDistribution,
    pub value_bytes: u32,
}

#[derive(Clone, Debug)]
pub enum ProducerAppTimer {
    Tick,
    Producer(ProducerTimer),
}

pub struct ProducerApp {
    workload: ProducerWorkload,
    keys: KeyChooser,
    producer: KafkaProducer,
    start_ms: Option<SimTime>,
    /// Records handed to the producer since this process started (paces the rate).
    sent: u64,
    /// The sequence of the next value (unique across restarts of this application).
    next_sequence: u64,
    stopped: bool,
    rng: ChaCha8Rng,
}

impl ProducerApp {
    pub fn new(
        index: u32,
        workload: ProducerWorkload,
        config: ProducerConfig,
        bootstrap: Vec<BrokerId>,
        seed: u64,
    ) -> ProducerApp {
        let keys = KeyChooser::new(workload.keys, &workload.key_distribution, &workload.key_names);
        let producer = KafkaProducer::new(
            index,
            config,
            bootstrap,
            vec![workload.topic.clone()],
            ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_0001),
        );
        ProducerApp {
            workload,
            keys,
            producer,
            start_ms: None,
            sent: 0,
            next_sequence: 0,
            stopped: false,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    pub fn producer(&self) -> &KafkaProducer {
        &self.producer
    }

    /// The sequence of the next value this application will write.
    pub fn next_value(&self) -> u64 {
        self.next_sequence
    }

    /// After a restart, continue numbering values where the crashed process left off.
    pub fn resume_values_from(&mut self, next_sequence: u64) {
        self.next_sequence = next_sequence;
    }

    fn tick_interval_ms(&self) -> SimTime {
        if self.workload.messages_per_sec <= 0.0 {
            return SimTime::MAX / 4;
        }
        ((1000.0 / self.workload.messages_per_sec).floor() as SimTime).max(1)
    }

    fn with_producer(
        &mut self,
        out: &mut Outbox<ProducerAppTimer>,
        f: impl FnOnce(&mut KafkaProducer, &mut Outbox<ProducerTimer>),
    ) {
        let mut inner = Outbox::default();
        f(&mut self.producer, &mut inner);
        out.absorb(inner, ProducerAppTimer::Producer);
    }

    fn on_tick(&mut self, now: SimTime, out: &mut Outbox<ProducerAppTimer>) {
        if self.stopped {
            return;
        }
        let start = *self.start_ms.get_or_insert(now);
        let due = (((now - start) as f64 + 1.0) * self.workload.messages_per_sec / 1000.0).floor() as u64;
        // `send` blocks the application thread while the producer waits for metadata or
        // memory; the sends it would have made meanwhile never happen (no catch-up burst).
        if self.producer.is_blocked() {
            self.sent = self.sent.max(due);
        }
        while self.sent < due && !self.producer.is_blocked() {
            let value = ValueId { producer: self.producer.index, sequence: self.next_sequence };
            let record = Record::data(self.keys.choose(&mut self.rng), value, self.workload.value_bytes, now);
            self.sent += 1;
            self.next_sequence += 1;
            let topic = self.workload.topic.clone();
            self.with_producer(out, |p, o| p.send(now, topic, record, o));
        }
        out.set_timer(now + self.tick_interval_ms(), ProducerAppTimer::Tick);
    }
}

impl Actor for ProducerApp {
    type Timer = ProducerAppTimer;

    fn on_start(&mut self, now: SimTime, out: &mut Outbox<ProducerAppTimer>) {
        self.producer.start(now);
        self.with_producer(out, |p, o| p.run(now, o));
        self.on_tick(now, out);
    }

    fn on_message(&mut self, now: SimTime, _from: NodeId, message: Message, out: &mut Outbox<ProducerAppTimer>) {
        if let Message::Response { correlation_id, response } = message {
            self.with_producer(out, |p, o| p.on_response(now, correlation_id, response, o));
        }
    }

    fn on_timer(&mut self, now: SimTime, timer: ProducerAppTimer, out: &mut Outbox<ProducerAppTimer>) {
        match timer {
            ProducerAppTimer::Tick => self.on_tick(now, out),
            ProducerAppTimer::Producer(t) => self.with_producer(out, |p, o| p.on_timer(now, t, o)),
        }
    }

    fn on_disconnect(&mut self, now: SimTime, peer: NodeId, out: &mut Outbox<ProducerAppTimer>) {
        self.with_producer(out, |p, o| p.on_disconnect(now, peer, o));
    }

    fn on_control(&mut self, _now: SimTime, control: Control, _out: &mut Outbox<ProducerAppTimer>) {
        if control == Control::StopWorkload {
            self.stopped = true;
        }
    }
}
