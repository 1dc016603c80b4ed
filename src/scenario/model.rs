//! A validated scenario: every name resolved, every config typed with Kafka's defaults applied.

use crate::protocol::config::broker::BrokerConfig;
use crate::protocol::consumer::config::ConsumerConfig;
use crate::protocol::controller::TopicSpec;
use crate::protocol::group::coordinator::CONSUMER_OFFSETS_TOPIC;
use crate::protocol::producer::config::ProducerConfig;
use crate::protocol::txn::coordinator::TRANSACTION_STATE_TOPIC;
use crate::protocol::types::*;
use crate::protocol::workload::consumer_app::{CommitEvery, CommitMode, ConsumerMode, ConsumerWorkload, Delivery};
use crate::protocol::workload::producer_app::ProducerWorkload;

/// Kafka's default heal-and-settle time after the workload (SCENARIO-FORMAT.md).
pub const DEFAULT_SETTLE_MS: SimTime = 30_000;

#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub seed: Option<u64>,
    pub duration_ms: SimTime,
    pub settle_ms: SimTime,
    pub brokers: u32,
    pub controllers: u32,
    pub broker_config: BrokerConfig,
    /// Broker configs the user set, as written (for reports).
    pub broker_overrides: Vec<(String, String)>,
    pub network: NetworkSpec,
    pub topics: Vec<TopicSpec>,
    pub producers: Vec<ProducerSpec>,
    pub consumer_groups: Vec<ConsumerGroupSpec>,
    pub faults: Vec<Fault>,
    /// A random fault schedule drawn per seed, besides `faults` (see `faults_for_seed`).
    pub nemesis: Option<super::nemesis::Nemesis>,
    pub checks: Vec<CheckExpectation>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NetworkSpec {
    pub latency_ms: (SimTime, SimTime),
    pub packet_loss: f64,
    /// `client_close = "fin"`: requests a client sent before closing a timed-out connection
    /// still reach the server (TCP delivers data before the FIN); only the answers are lost.
    pub client_close_delivers_sent: bool,
}

impl Default for NetworkSpec {
    fn default() -> Self {
        // the simulation runtime's default latency range, and a lossless network.
        NetworkSpec { latency_ms: (1, 10), packet_loss: 0.0, client_close_delivers_sent: false }
    }
}

#[derive(Clone, Debug)]
pub struct ProducerSpec {
    pub name: String,
    pub workload: ProducerWorkload,
    pub config: ProducerConfig,
}

#[derive(Clone, Debug)]
pub struct ConsumerGroupSpec {
    pub group: String,
    pub topics: Vec<TopicName>,
    pub members: u32,
    pub processing_ms_per_record: u64,
    /// When each member starts.
    pub member_start_ms: Vec<SimTime>,
    pub subscribe: bool,
    pub commit: CommitMode,
    pub commit_every: CommitEvery,
    pub delivery: Delivery,
    pub config: ConsumerConfig,
}

impl ConsumerGroupSpec {
    pub fn member_name(&self, index: u32) -> String {
        format!("{}-{}", self.group, index + 1)
    }

    /// The workload and configs of member `index` (0-based): Kafka's default client id is
    /// `consumer-<group>-<n>`; a static `group.instance.id` gets the member number appended.
    pub fn member(&self, index: u32) -> (ConsumerWorkload, ConsumerConfig) {
        let mut config = self.config.clone();
        if let Some(instance) = &config.group_instance_id {
            config.group_instance_id = Some(format!("{instance}-{}", index + 1));
        }
        let client_id = if config.client_id.is_empty() {
            format!("consumer-{}-{}", self.group, index + 1)
        } else {
            config.client_id.clone()
        };
        let workload = ConsumerWorkload {
            topics: self.topics.clone(),
            mode: if self.subscribe {
                ConsumerMode::Subscribe { group: self.group.clone() }
            } else {
                ConsumerMode::AssignAll
            },
            client_id,
            processing_ms_per_record: self.processing_ms_per_record,
            start_ms: self.member_start_ms.get(index as usize).copied().unwrap_or(0),
            commit: self.commit,
            commit_every: self.commit_every,
            delivery: self.delivery,
        };
        (workload, config)
    }
}

/// Where a fault applies: a node by name, or a role resolved when the fault fires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeSelector {
    Name(String),
    Leader(TopicPartition),
    Follower(TopicPartition),
    Controller,
    /// The broker coordinating this consumer group (leader of its `__consumer_offsets` partition).
    Coordinator(String),
}

impl std::fmt::Display for NodeSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NodeSelector::Name(name) => f.write_str(name),
            NodeSelector::Leader(tp) => write!(f, "leader:{tp}"),
            NodeSelector::Follower(tp) => write!(f, "follower:{tp}"),
            NodeSelector::Controller => f.write_str("controller"),
            NodeSelector::Coordinator(group) => write!(f, "coordinator:{group}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum FaultAction {
    Crash { node: NodeSelector, lose_unflushed: bool },
    Restart { node: NodeSelector },
    Pause { node: NodeSelector },
    Resume { node: NodeSelector },
    Partition { groups: Vec<Vec<String>> },
    Clog { from: String, to: String },
    Unclog { from: String, to: String },
    Heal,
    Latency { min_ms: SimTime, max_ms: SimTime },
    Loss { packet_loss: f64 },
    SlowConsumer { node: String, processing_ms_per_record: u64 },
}

impl FaultAction {
    /// The scenario format's name for this kind.
    pub fn kind(&self) -> &'static str {
        match self {
            FaultAction::Crash { .. } => "crash",
            FaultAction::Restart { .. } => "restart",
            FaultAction::Pause { .. } => "pause",
            FaultAction::Resume { .. } => "resume",
            FaultAction::Partition { .. } => "partition",
            FaultAction::Clog { .. } => "clog",
            FaultAction::Unclog { .. } => "unclog",
            FaultAction::Heal => "heal",
            FaultAction::Latency { .. } => "latency",
            FaultAction::Loss { .. } => "loss",
            FaultAction::SlowConsumer { .. } => "slow-consumer",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub at_ms: SimTime,
    pub action: FaultAction,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// The property must hold: no violation may be found.
    None,
    /// The scenario demonstrates a failure: at least one violation must be found.
    Some,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckExpectation {
    pub name: String,
    pub expect: Expect,
}

impl Scenario {
    pub fn broker_name(id: u32) -> String {
        format!("broker-{id}")
    }

    pub fn controller_name(id: u32) -> String {
        format!("controller-{id}")
    }

    /// Client nodes in order: producers, then every consumer group's members.
    pub fn client_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.producers.iter().map(|p| p.name.clone()).collect();
        for group in &self.consumer_groups {
            names.extend((0..group.members).map(|i| group.member_name(i)));
        }
        names
    }

    /// Every node with its name, in a stable order.
    pub fn nodes(&self) -> Vec<(NodeId, String)> {
        let mut nodes = Vec::new();
        for c in 1..=self.controllers {
            nodes.push((NodeId::Controller(c), Self::controller_name(c)));
        }
        for b in 1..=self.brokers {
            nodes.push((NodeId::broker(b), Self::broker_name(b)));
        }
        for (i, name) in self.client_names().into_iter().enumerate() {
            nodes.push((NodeId::Client(i as u32), name));
        }
        nodes
    }

    pub fn node_by_name(&self, name: &str) -> Option<NodeId> {
        self.nodes().into_iter().find(|(_, n)| n == name).map(|(id, _)| id)
    }

    /// `__consumer_offsets`, when some group subscribes: Kafka creates it on first use with
    /// `offsets.topic.num.partitions` partitions and `offsets.topic.replication.factor` replicas
    /// (capped here at the broker count, where Kafka would wait for more brokers).
    /// `__transaction_state` too when some producer is transactional (Kafka creates it on the
    /// first FindCoordinator for a transactional id).
    pub fn internal_topics(&self) -> Vec<TopicSpec> {
        let config = crate::protocol::config::broker::TopicConfig::defaults(&self.broker_config);
        let mut topics = Vec::new();
        if self.consumer_groups.iter().any(|g| g.subscribe) {
            topics.push(TopicSpec {
                name: CONSUMER_OFFSETS_TOPIC.into(),
                partitions: self.broker_config.offsets_topic_num_partitions,
                replication_factor: self.broker_config.offsets_topic_replication_factor.min(self.brokers as i32),
                config: config.clone(),
            });
        }
        if self.producers.iter().any(|p| p.config.transactional_id.is_some()) {
            topics.push(TopicSpec {
                name: TRANSACTION_STATE_TOPIC.into(),
                partitions: self.broker_config.transaction_state_log_num_partitions,
                replication_factor: self
                    .broker_config
                    .transaction_state_log_replication_factor
                    .min(self.brokers as i32),
                config,
            });
        }
        topics
    }

    pub fn expectation(&self, check: &str) -> Option<Expect> {
        self.checks.iter().find(|c| c.name == check).map(|c| c.expect)
    }
}
