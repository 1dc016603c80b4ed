//! The simulated cluster as the supervisor sees it: one madsim node per broker, controller and
//! client, with their slots, what survives their crashes (disks, and a producer's next value),
//! and the operations the fault schedule uses.

use super::network::Network;
use super::node::{run_node, Shared, Slot};
use crate::history::{Event, FinalState, PartitionSnapshot, ProducerFinal, ReplicaSnapshot};
use crate::protocol::actor::{Actor, Control};
use crate::protocol::broker::{Broker, BrokerDisk};
use crate::protocol::controller::{ControllerDisk, QuorumController};
use crate::protocol::message::PartitionRegistration;
use crate::protocol::types::*;
use crate::protocol::workload::consumer_app::ConsumerApp;
use crate::protocol::workload::producer_app::ProducerApp;
use crate::scenario::Scenario;
use madsim::runtime::{Handle, NodeHandle};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

enum Process {
    Broker(Slot<Broker>),
    Controller(Slot<QuorumController>),
    Producer { index: u32, slot: Slot<ProducerApp> },
    Consumer { group: usize, slot: Slot<ConsumerApp> },
}

struct SimNode {
    name: String,
    handle: NodeHandle,
    process: Process,
    crashed: bool,
    paused: bool,
}

pub struct SimCluster {
    pub shared: Shared,
    scenario: Scenario,
    seed: u64,
    runtime: Handle,
    nodes: BTreeMap<NodeId, SimNode>,
    broker_disks: BTreeMap<BrokerId, BrokerDisk>,
    controller_disk: ControllerDisk,
    /// Process starts so far, per node: the next incarnation id.
    starts: BTreeMap<NodeId, u64>,
    /// A producer application's next value survives its crash (it is the application's own
    /// durable counter), so values stay unique across restarts.
    producer_next_value: BTreeMap<u32, u64>,
}

fn slot<A>(actor: A) -> Slot<A> {
    Arc::new(Mutex::new(Some(actor)))
}

impl SimCluster {
    pub fn new(scenario: &Scenario, seed: u64, shared: Shared) -> SimCluster {
        let mut cluster = SimCluster {
            shared,
            scenario: scenario.clone(),
            seed,
            runtime: Handle::current(),
            nodes: BTreeMap::new(),
            broker_disks: BTreeMap::new(),
            controller_disk: ControllerDisk::default(),
            starts: BTreeMap::new(),
            producer_next_value: BTreeMap::new(),
        };
        for (node, name) in scenario.nodes() {
            let process = cluster.new_process(node);
            let handle = cluster.build_node(node, &name, &process);
            cluster.nodes.insert(node, SimNode { name, handle, process, crashed: false, paused: false });
        }
        cluster
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    fn bootstrap(&self) -> Vec<BrokerId> {
        (1..=self.scenario.brokers).map(BrokerId).collect()
    }

    /// A fresh actor for `node`, from whatever its crash left behind.
    fn new_process(&mut self, node: NodeId) -> Process {
        let start = self.starts.entry(node).or_insert(0);
        let incarnation = *start;
        *start += 1;
        let controller = NodeId::Controller(1);
        match node {
            NodeId::Broker(id) => {
                let disk = self.broker_disks.remove(&id).unwrap_or_default();
                Process::Broker(slot(Broker::new(
                    id,
                    self.scenario.broker_config.clone(),
                    controller,
                    incarnation,
                    disk,
                )))
            }
            NodeId::Controller(_) => {
                let mut topics = self.scenario.topics.clone();
                topics.extend(self.scenario.internal_topics());
                let brokers = self.bootstrap();
                let disk = std::mem::take(&mut self.controller_disk);
                Process::Controller(slot(QuorumController::new(
                    self.scenario.broker_config.clone(),
                    brokers,
                    topics,
                    disk,
                )))
            }
            NodeId::Supervisor => unreachable!("the supervisor is not a simulated process"),
            NodeId::Client(index) => {
                let producers = self.scenario.producers.len() as u32;
                // Every client draws from its own stream, derived from the run's seed.
                let client_seed = self
                    .seed
                    .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                    .wrapping_add(index as u64 * 7919 + incarnation * 104_729);
                if index < producers {
                    let spec = &self.scenario.producers[index as usize];
                    let mut app = ProducerApp::new(
                        index,
                        spec.workload.clone(),
                        spec.config.clone(),
                        self.bootstrap(),
                        client_seed,
                    );
                    app.resume_values_from(self.producer_next_value.get(&index).copied().unwrap_or(0));
                    Process::Producer { index, slot: slot(app) }
                } else {
                    let mut member = index - producers;
                    let (group_index, group) = self
                        .scenario
                        .consumer_groups
                        .iter()
                        .enumerate()
                        .find(|(_, g)| {
                            let fits = member < g.members;
                            if !fits {
                                member -= g.members;
                            }
                            fits
                        })
                        .expect("client index within the scenario's clients");
                    let (workload, config) = group.member(member);
                    let app = ConsumerApp::new(workload, config, self.bootstrap(), client_seed);
                    Process::Consumer { group: group_index, slot: slot(app) }
                }
            }
        }
    }

    fn build_node(&self, node: NodeId, name: &str, process: &Process) -> NodeHandle {
        fn init<A: Actor + Send + 'static>(
            runtime: &Handle,
            name: &str,
            shared: Shared,
            node: NodeId,
            slot: Slot<A>,
        ) -> NodeHandle {
            runtime.create_node().name(name).init(move || run_node(shared.clone(), node, slot.clone())).build()
        }
        let shared = self.shared.clone();
        match process {
            Process::Broker(s) => init(&self.runtime, name, shared, node, s.clone()),
            Process::Controller(s) => init(&self.runtime, name, shared, node, s.clone()),
            Process::Producer { slot, .. } => init(&self.runtime, name, shared, node, slot.clone()),
            Process::Consumer { slot, .. } => init(&self.runtime, name, shared, node, slot.clone()),
        }
    }

    pub fn node_name(&self, node: NodeId) -> String {
        self.nodes.get(&node).map(|n| n.name.clone()).unwrap_or_else(|| format!("{node:?}"))
    }

    pub fn node_by_name(&self, name: &str) -> Option<NodeId> {
        self.nodes.iter().find(|(_, n)| n.name == name).map(|(id, _)| *id)
    }

    pub fn all_nodes(&self) -> Vec<NodeId> {
        self.nodes.keys().copied().collect()
    }

    pub fn is_crashed(&self, node: NodeId) -> bool {
        self.nodes.get(&node).is_some_and(|n| n.crashed)
    }

    pub fn is_paused(&self, node: NodeId) -> bool {
        self.nodes.get(&node).is_some_and(|n| n.paused)
    }

    /// Kills the process. Its disk survives; with `lose_unflushed` only what was fsynced does.
    pub fn crash(&mut self, node: NodeId, lose_unflushed: bool) -> bool {
        let Some(sim_node) = self.nodes.get_mut(&node) else { return false };
        if sim_node.crashed {
            return false;
        }
        self.runtime.kill(sim_node.handle.id());
        sim_node.crashed = true;
        sim_node.paused = false;
        let now = self.shared.now_ms();
        self.shared.recorder.lock().expect("recorder lock").record(now, node, Event::Crashed { lose_unflushed });
        self.shared.network.lock().expect("network lock").crash(now, node, !lose_unflushed);
        match &sim_node.process {
            Process::Broker(s) => {
                if let Some(broker) = s.lock().expect("slot lock").take() {
                    let mut disk = broker.into_disk();
                    if lose_unflushed {
                        let lost = disk.lose_unflushed();
                        let mut recorder = self.shared.recorder.lock().expect("recorder lock");
                        for (tp, batches) in lost {
                            let offset = batches.first().map_or(0, |b| b.base_offset);
                            let removed = batches
                                .iter()
                                .flat_map(|b| b.offsets_and_records().map(|(o, r)| (o, r.value)))
                                .collect();
                            recorder.record(
                                now,
                                node,
                                Event::Truncated {
                                    tp,
                                    offset,
                                    removed,
                                    cause: crate::history::TruncationCause::PowerLoss,
                                },
                            );
                        }
                    }
                    if let NodeId::Broker(id) = node {
                        self.broker_disks.insert(id, disk);
                    }
                }
            }
            Process::Controller(s) => {
                if let Some(controller) = s.lock().expect("slot lock").take() {
                    // The metadata log is fsynced on every append: a power loss keeps it all.
                    self.controller_disk = controller.into_disk();
                }
            }
            Process::Producer { index, slot } => {
                if let Some(app) = slot.lock().expect("slot lock").take() {
                    self.producer_next_value.insert(*index, app.next_value());
                }
            }
            Process::Consumer { slot, .. } => {
                slot.lock().expect("slot lock").take();
            }
        }
        true
    }

    /// Starts a crashed process again from its disk. Does nothing to a running one.
    pub fn restart(&mut self, node: NodeId) -> bool {
        if !self.is_crashed(node) {
            return false;
        }
        let process = self.new_process(node);
        let sim_node = self.nodes.get_mut(&node).expect("known node");
        match (&sim_node.process, process) {
            (Process::Broker(old), Process::Broker(new)) => {
                *old.lock().expect("slot lock") = new.lock().expect("slot lock").take()
            }
            (Process::Controller(old), Process::Controller(new)) => {
                *old.lock().expect("slot lock") = new.lock().expect("slot lock").take()
            }
            (Process::Producer { slot: old, .. }, Process::Producer { slot: new, .. }) => {
                *old.lock().expect("slot lock") = new.lock().expect("slot lock").take()
            }
            (Process::Consumer { slot: old, .. }, Process::Consumer { slot: new, .. }) => {
                *old.lock().expect("slot lock") = new.lock().expect("slot lock").take()
            }
            _ => unreachable!("a node keeps its kind"),
        }
        sim_node.crashed = false;
        self.runtime.restart(sim_node.handle.id());
        self.record(node, Event::Restarted);
        true
    }

    pub fn pause(&mut self, node: NodeId) -> bool {
        let Some(sim_node) = self.nodes.get_mut(&node) else { return false };
        if sim_node.crashed || sim_node.paused {
            return false;
        }
        self.runtime.pause(sim_node.handle.id());
        sim_node.paused = true;
        self.record(node, Event::Paused);
        true
    }

    pub fn resume(&mut self, node: NodeId) -> bool {
        let Some(sim_node) = self.nodes.get_mut(&node) else { return false };
        if !sim_node.paused {
            return false;
        }
        self.runtime.resume(sim_node.handle.id());
        sim_node.paused = false;
        self.record(node, Event::Resumed);
        true
    }

    fn record(&self, node: NodeId, event: Event) {
        let now = self.shared.now_ms();
        self.shared.recorder.lock().expect("recorder lock").record(now, node, event);
    }

    pub fn control(&mut self, node: NodeId, control: Control) {
        if self.is_crashed(node) {
            return;
        }
        let now = self.shared.now_ms();
        self.shared.network.lock().expect("network lock").control(now, node, control);
    }

    pub fn consumers(&self) -> Vec<NodeId> {
        self.nodes.iter().filter(|(_, n)| matches!(n.process, Process::Consumer { .. })).map(|(id, _)| *id).collect()
    }

    pub fn producers(&self) -> Vec<NodeId> {
        self.nodes.iter().filter(|(_, n)| matches!(n.process, Process::Producer { .. })).map(|(id, _)| *id).collect()
    }

    pub fn consumer_group_of(&self, node: NodeId) -> Option<usize> {
        match self.nodes.get(&node).map(|n| &n.process) {
            Some(Process::Consumer { group, .. }) => Some(*group),
            _ => None,
        }
    }

    /// Every node that is crashed or paused.
    pub fn down_nodes(&self) -> Vec<NodeId> {
        self.nodes.iter().filter(|(_, n)| n.crashed || n.paused).map(|(id, _)| *id).collect()
    }

    /// The partitions as the controller knows them now (None while it is down).
    pub fn controller_partitions(&self) -> Option<BTreeMap<TopicPartition, PartitionRegistration>> {
        let node = self.nodes.get(&NodeId::Controller(1))?;
        let Process::Controller(s) = &node.process else { return None };
        let guard = s.lock().expect("slot lock");
        guard.as_ref().map(|c| c.image().partitions.clone())
    }

    /// Runs `f` on a broker's current state if it is up.
    pub fn with_broker<R>(&self, broker: BrokerId, f: impl FnOnce(&Broker) -> R) -> Option<R> {
        let node = self.nodes.get(&NodeId::Broker(broker))?;
        let Process::Broker(s) = &node.process else { return None };
        let guard = s.lock().expect("slot lock");
        guard.as_ref().map(f)
    }

    /// The final state the checkers compare against: the controller's partitions and every
    /// replica's log.
    pub fn final_state(&self) -> FinalState {
        let partitions = self
            .controller_partitions()
            .unwrap_or_default()
            .into_iter()
            .map(|(tp, r)| PartitionSnapshot {
                tp,
                replicas: r.replicas,
                leader: r.leader,
                leader_epoch: r.leader_epoch,
                isr: r.isr,
            })
            .collect();
        let mut replicas = Vec::new();
        for id in 1..=self.scenario.brokers {
            let broker = BrokerId(id);
            let snapshot = self.with_broker(broker, |b| {
                b.disk()
                    .logs
                    .iter()
                    .map(|(tp, log)| ReplicaSnapshot {
                        broker,
                        tp: tp.clone(),
                        alive: true,
                        log_start_offset: log.log_start_offset(),
                        log_end_offset: log.log_end_offset(),
                        high_watermark: log.high_watermark(),
                        records: log
                            .batches()
                            .flat_map(|b| b.offsets_and_records().map(|(o, r)| (o, r.value)).collect::<Vec<_>>())
                            .collect(),
                        leader_epochs: log.epoch_cache().entries().iter().map(|e| (e.epoch, e.start_offset)).collect(),
                    })
                    .collect::<Vec<_>>()
            });
            replicas.extend(snapshot.unwrap_or_default());
        }
        let producers = self
            .nodes
            .values()
            .filter_map(|node| match &node.process {
                Process::Producer { slot, .. } => {
                    let guard = slot.lock().expect("slot lock");
                    guard.as_ref().map(|app| ProducerFinal {
                        name: node.name.clone(),
                        metrics: app.producer().metrics(),
                        samples: app.producer().metrics_samples().to_vec(),
                    })
                }
                _ => None,
            })
            .collect();
        FinalState { partitions, replicas, producers }
    }

    /// Kills every node at the end of a run (madsim leaks pending tasks otherwise).
    pub fn shutdown(&mut self) {
        for node in self.nodes.values() {
            if !node.crashed {
                self.runtime.kill(node.handle.id());
            }
        }
    }

    pub fn network(&self) -> std::sync::MutexGuard<'_, Network> {
        self.shared.network.lock().expect("network lock")
    }
}
