//! Running a scenario: a fresh madsim runtime on a fresh OS thread (madsim seeds std's HashMap
//! per thread, notes/madsim.md), the supervisor that plays the fault schedule, the heal-and-settle
//! phase, and the recorded History.

use super::cluster::SimCluster;
use super::faults::apply_fault;
use super::network::{Network, NetworkStats};
use super::node::Shared;
use super::recorder::Recorder;
use crate::history::{ClientMeta, Event, History, RunMeta, TopicMeta};
use crate::protocol::actor::Control;
use crate::protocol::types::*;
use crate::scenario::{FaultAction, Scenario};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Independent random streams derived from the run's seed: the network's latencies and losses
/// must not shift when, say, a fault selector draws one more number.
const NETWORK_RNG_STREAM: u64 = 0x6e65_7477_6f72_6b00;
const FAULT_RNG_STREAM: u64 = 0x6661_756c_7473_0000;

/// Counters of one run, for `--json` and benchmarks.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct RunStats {
    pub sim_ms: SimTime,
    pub wall_ms: u64,
    pub history_entries: u64,
    #[serde(flatten)]
    pub network: NetworkStats,
}

pub struct RunResult {
    pub history: History,
    pub stats: RunStats,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A panic inside the simulation: a bug in kafkasim, reproducible with this seed.
    #[error("the simulation panicked (seed {seed}): {message}")]
    Panic { seed: u64, message: String },
}

/// What a run records besides its canonical history.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// Record the network messages sent in `[from, to)` ms (for the message-sequence diagram).
    pub messages: Option<(SimTime, SimTime)>,
}

/// Runs `scenario` with `seed` to completion.
pub fn run_scenario(scenario: &Scenario, seed: u64) -> Result<RunResult, RunError> {
    run_scenario_with(scenario, seed, &RunOptions::default())
}

/// [`run_scenario`], recording what `options` ask for too.
pub fn run_scenario_with(scenario: &Scenario, seed: u64, options: &RunOptions) -> Result<RunResult, RunError> {
    let scenario = scenario.clone();
    let options = options.clone();
    let wall_start = Instant::now();
    let thread = std::thread::Builder::new()
        .name(format!("kafkasim-seed-{seed}"))
        .spawn(move || {
            let runtime = madsim::runtime::Runtime::with_seed_and_config(seed, madsim::Config::default());
            let mut runtime = runtime;
            runtime.set_time_limit(Duration::from_millis(scenario.duration_ms + scenario.settle_ms + 3_600_000));
            runtime.block_on(supervise(scenario, seed, options))
        })
        .expect("spawning the simulation thread");
    match thread.join() {
        Ok((history, network)) => {
            let stats = RunStats {
                sim_ms: history.meta.end_ms,
                wall_ms: wall_start.elapsed().as_millis() as u64,
                history_entries: history.entries.len() as u64,
                network,
            };
            Ok(RunResult { history, stats })
        }
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(RunError::Panic { seed, message })
        }
    }
}

fn run_meta(scenario: &Scenario, seed: u64) -> RunMeta {
    let clients = scenario.nodes();
    RunMeta {
        scenario: scenario.name.clone(),
        seed,
        nodes: clients.clone(),
        topics: scenario
            .topics
            .iter()
            .map(|t| TopicMeta {
                name: t.name.clone(),
                partitions: t.partitions,
                replication_factor: t.replication_factor,
                configs: t.config.overrides.clone(),
            })
            .collect(),
        producers: scenario
            .producers
            .iter()
            .enumerate()
            .map(|(i, p)| ClientMeta {
                node: NodeId::Client(i as u32),
                name: p.name.clone(),
                summary: p.config.summary(),
                group: None,
                read_committed: !p.workload.read_topics.is_empty(),
            })
            .collect(),
        consumers: scenario
            .consumer_groups
            .iter()
            .flat_map(|g| (0..g.members).map(move |i| (g, i)))
            .zip(
                clients
                    .iter()
                    .filter(|(id, _)| matches!(id, NodeId::Client(i) if *i as usize >= scenario.producers.len())),
            )
            .map(|((g, _), (id, name))| ClientMeta {
                node: *id,
                name: name.clone(),
                summary: format!(
                    "{} group {} ({}), {} commits, {}",
                    if g.subscribe { "subscribes to" } else { "reads all of" },
                    g.group,
                    g.config.partition_assignment_strategy.join(","),
                    match g.commit {
                        crate::protocol::workload::consumer_app::CommitMode::Auto => "auto",
                        crate::protocol::workload::consumer_app::CommitMode::Sync => "sync",
                        crate::protocol::workload::consumer_app::CommitMode::Async => "async",
                    },
                    if g.delivery == crate::protocol::workload::consumer_app::Delivery::AtMostOnce {
                        "at-most-once"
                    } else {
                        "at-least-once"
                    }
                ),
                group: g.subscribe.then(|| g.group.clone()),
                read_committed: g.config.isolation_level == crate::protocol::message::IsolationLevel::ReadCommitted,
            })
            .collect(),
        workload_end_ms: scenario.duration_ms,
        end_ms: scenario.duration_ms + scenario.settle_ms,
    }
}

async fn sleep_until(shared: &Shared, ms: SimTime) {
    if shared.now_ms() < ms {
        madsim::time::sleep_until(shared.instant_at(ms)).await;
    }
}

/// The supervisor: node 0, which cannot be killed. Plays the schedule, then heals and settles.
async fn supervise(scenario: Scenario, seed: u64, options: RunOptions) -> (History, NetworkStats) {
    let mut network = Network::new(
        scenario.network.latency_ms,
        scenario.network.packet_loss,
        ChaCha8Rng::seed_from_u64(seed ^ NETWORK_RNG_STREAM),
    );
    network.set_client_close_delivers_sent(scenario.network.client_close_delivers_sent);
    if let Some((from_ms, to_ms)) = options.messages {
        network.record_messages(from_ms, to_ms);
    }
    let shared = Shared {
        network: Arc::new(Mutex::new(network)),
        recorder: Arc::new(Mutex::new(Recorder::default())),
        start: Instant::now(),
    };
    let record = |shared: &Shared, event: Event| {
        let now = shared.now_ms();
        shared.recorder.lock().expect("recorder lock").record(now, NodeId::Supervisor, event);
    };
    record(&shared, Event::Phase { name: "workload".into() });
    let mut cluster = SimCluster::new(&scenario, seed, shared.clone());
    let mut selector_rng = ChaCha8Rng::seed_from_u64(seed ^ FAULT_RNG_STREAM);

    for fault in &scenario.faults {
        sleep_until(&shared, fault.at_ms).await;
        let detail = apply_fault(&mut cluster, &fault.action, &mut selector_rng);
        record(&shared, Event::Fault { kind: fault.action.kind().to_string(), detail });
    }

    sleep_until(&shared, scenario.duration_ms).await;
    record(&shared, Event::Phase { name: "settle".into() });
    settle(&mut cluster, &scenario, &shared, &mut selector_rng, &record);

    let end_ms = scenario.duration_ms + scenario.settle_ms;
    sleep_until(&shared, end_ms - quiet_ms(scenario.settle_ms)).await;
    record(&shared, Event::Phase { name: "quiet".into() });
    for consumer in cluster.consumers() {
        cluster.control(consumer, Control::StopCommitting);
    }

    sleep_until(&shared, end_ms).await;
    record(&shared, Event::Phase { name: "end".into() });
    let final_state = cluster.final_state();
    cluster.shutdown();
    madsim::time::sleep(Duration::from_millis(1)).await;

    let entries = std::mem::take(&mut shared.recorder.lock().expect("recorder lock").entries);
    let (stats, messages) = {
        let mut network = shared.network.lock().expect("network lock");
        (network.stats.clone(), network.take_messages())
    };
    (History { meta: run_meta(&scenario, seed), entries, final_state, messages }, stats)
}

/// The last part of the settle phase in which nothing new is written, so that every write has
/// reached every replica and every high watermark (followers learn it on their next fetch,
/// which a leader may hold for `replica.fetch.wait.max.ms`, 500 ms) before the final state is
/// read. Consumers keep polling; they stop committing.
fn quiet_ms(settle_ms: SimTime) -> SimTime {
    (settle_ms / 2).min(2_000)
}

/// The end of the workload: every fault is undone and the producers stop.
fn settle(
    cluster: &mut SimCluster,
    scenario: &Scenario,
    shared: &Shared,
    rng: &mut ChaCha8Rng,
    record: &impl Fn(&Shared, Event),
) {
    for producer in cluster.producers() {
        cluster.control(producer, Control::StopWorkload);
    }
    let mut undo: Vec<FaultAction> = vec![FaultAction::Heal];
    let (min_ms, max_ms) = scenario.network.latency_ms;
    undo.push(FaultAction::Latency { min_ms, max_ms });
    undo.push(FaultAction::Loss { packet_loss: scenario.network.packet_loss });
    for node in cluster.down_nodes() {
        let name = crate::scenario::NodeSelector::Name(cluster.node_name(node));
        if cluster.is_paused(node) {
            undo.push(FaultAction::Resume { node: name });
        } else {
            undo.push(FaultAction::Restart { node: name });
        }
    }
    for fault in &scenario.faults {
        if let FaultAction::SlowConsumer { node, .. } = &fault.action {
            let group = cluster.node_by_name(node).and_then(|id| cluster.consumer_group_of(id));
            if let Some(group) = group {
                let original = scenario.consumer_groups[group].processing_ms_per_record;
                undo.push(FaultAction::SlowConsumer { node: node.clone(), processing_ms_per_record: original });
            }
        }
    }
    for action in undo {
        let detail = apply_fault(cluster, &action, rng);
        record(shared, Event::Fault { kind: action.kind().to_string(), detail: format!("settle: {detail}") });
    }
}
