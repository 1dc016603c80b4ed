//! `[nemesis]`: a random fault schedule drawn from the run's seed, after Jepsen's nemesis (the
//! process that crashes, pauses and partitions nodes while the workload runs).
//!
//! The schedule is generated before the simulation starts, from a ChaCha8 stream of the seed of
//! its own (so it can be printed, written back as `[[faults]]`, and shrunk), and it is the same
//! on every machine. Every fault it starts it can also end: a crash is paired with a restart, a
//! pause with a resume, a partition with a heal, a clog with an unclog; whatever is still open
//! when the workload ends is undone by the heal-and-settle phase. `max_down` bounds how many
//! brokers are crashed, paused or cut off (by a partition or a clog) at once. Faults that name a
//! role (`leader:T-P`) cannot know which broker they will hit, so each counts as one more broker
//! down, and ending it restarts (or resumes) every broker the schedule has not named as down:
//! the count is an upper bound of the brokers really down.

use super::model::*;
use super::raw::{RawFault, RawScenario};
use crate::protocol::types::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;
use toml::Spanned;

/// A random stream of its own: the schedule must not shift when the simulation draws more or
/// fewer numbers, and the simulation must not shift when the schedule does.
const NEMESIS_RNG_STREAM: u64 = 0x6e65_6d65_7369_7300;

/// The kinds a `[nemesis]` table may list, in the order error messages name them.
pub const NEMESIS_KINDS: &[&str] = &["crash", "restart", "pause", "resume", "partition", "heal", "clog", "unclog"];

/// A fault and the fault that ends it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NemesisFamily {
    /// `crash` ... `restart`.
    Crash,
    /// `pause` ... `resume`.
    Pause,
    /// `partition` ... `heal`.
    Partition,
    /// `clog` ... `unclog`.
    Clog,
}

impl NemesisFamily {
    pub const ALL: [NemesisFamily; 4] =
        [NemesisFamily::Crash, NemesisFamily::Pause, NemesisFamily::Partition, NemesisFamily::Clog];

    pub fn start_kind(self) -> &'static str {
        match self {
            NemesisFamily::Crash => "crash",
            NemesisFamily::Pause => "pause",
            NemesisFamily::Partition => "partition",
            NemesisFamily::Clog => "clog",
        }
    }

    pub fn end_kind(self) -> &'static str {
        match self {
            NemesisFamily::Crash => "restart",
            NemesisFamily::Pause => "resume",
            NemesisFamily::Partition => "heal",
            NemesisFamily::Clog => "unclog",
        }
    }

    /// The family a kind belongs to.
    pub fn of_kind(kind: &str) -> Option<NemesisFamily> {
        NemesisFamily::ALL.into_iter().find(|f| f.start_kind() == kind || f.end_kind() == kind)
    }
}

/// A validated `[nemesis]` table.
#[derive(Clone, Debug, PartialEq)]
pub struct Nemesis {
    /// The fault families to draw from, in `NemesisFamily::ALL` order.
    pub families: Vec<NemesisFamily>,
    /// The time between two faults is drawn uniformly from this range (both ends included).
    pub interval_ms: (SimTime, SimTime),
    /// At most this many brokers crashed, paused or cut off at once.
    pub max_down: u32,
    /// Every crash is a power loss.
    pub lose_unflushed: bool,
}

impl Scenario {
    /// The fault schedule of a run with `seed`: the listed `[[faults]]`, merged in time order
    /// with what `[nemesis]` draws from the seed (listed faults first at equal times).
    pub fn faults_for_seed(&self, seed: u64) -> Vec<Fault> {
        let Some(nemesis) = &self.nemesis else { return self.faults.clone() };
        let mut faults: Vec<Fault> = self.faults.clone();
        faults.extend(generate(nemesis, self, seed));
        // A stable sort keeps the file order at equal times, and listed faults come first.
        faults.sort_by_key(|f| f.at_ms);
        faults
    }

    /// This scenario with its nemesis drawn for `seed`: the schedule as plain faults.
    pub fn for_seed(&self, seed: u64) -> Scenario {
        let mut concrete = self.clone();
        concrete.faults = self.faults_for_seed(seed);
        concrete.nemesis = None;
        concrete
    }
}

/// The scenario as written, with `[nemesis]` replaced by the faults it draws for `seed` and the
/// seed set: `kafkasim run` of the result replays the same run, and its faults can be edited.
pub fn concrete_raw(raw: &RawScenario, scenario: &Scenario, seed: u64) -> RawScenario {
    let mut concrete = raw.clone();
    concrete.seed = Some(seed);
    concrete.nemesis = None;
    concrete.faults = scenario.faults_for_seed(seed).iter().map(raw_fault).collect();
    concrete
}

fn spanned<T>(value: T) -> Spanned<T> {
    Spanned::new(0..0, value)
}

/// A fault as the scenario file writes it.
pub fn raw_fault(fault: &Fault) -> RawFault {
    let mut raw = RawFault {
        at_ms: spanned(fault.at_ms),
        kind: spanned(fault.action.kind().to_string()),
        node: None,
        lose_unflushed: None,
        groups: None,
        from: None,
        to: None,
        latency_ms: None,
        packet_loss: None,
        processing_ms_per_record: None,
    };
    match &fault.action {
        FaultAction::Crash { node, lose_unflushed } => {
            raw.node = Some(spanned(node.to_string()));
            raw.lose_unflushed = lose_unflushed.then(|| spanned(true));
        }
        FaultAction::Restart { node } | FaultAction::Pause { node } | FaultAction::Resume { node } => {
            raw.node = Some(spanned(node.to_string()))
        }
        FaultAction::Partition { groups } => {
            raw.groups = Some(spanned(groups.iter().map(|g| g.iter().map(|n| spanned(n.clone())).collect()).collect()))
        }
        FaultAction::Clog { from, to } | FaultAction::Unclog { from, to } => {
            raw.from = Some(spanned(from.clone()));
            raw.to = Some(spanned(to.clone()));
        }
        FaultAction::Heal => {}
        FaultAction::Latency { min_ms, max_ms } => raw.latency_ms = Some(spanned([*min_ms, *max_ms])),
        FaultAction::Loss { packet_loss } => raw.packet_loss = Some(spanned(*packet_loss)),
        FaultAction::SlowConsumer { node, processing_ms_per_record } => {
            raw.node = Some(spanned(node.clone()));
            raw.processing_ms_per_record = Some(spanned(*processing_ms_per_record));
        }
    }
    raw
}

/// What the schedule has taken down so far, as the generator models it.
#[derive(Default)]
struct DownSet {
    crashed: BTreeSet<u32>,
    /// Open crashes of `leader:T-P`: one broker each, which one is decided at run time.
    crashed_leaders: u32,
    controller_crashed: bool,
    paused: BTreeSet<u32>,
    paused_leaders: u32,
    /// Brokers on the cut-off side of the open partition, if there is one.
    partitioned: Option<BTreeSet<u32>>,
    /// Open clogs: (from broker, to node).
    clogged: Vec<(u32, String)>,
}

impl DownSet {
    /// Brokers crashed, paused or cut off, counting each open fault once: an upper bound.
    fn down(&self) -> u32 {
        (self.crashed.len()
            + self.crashed_leaders as usize
            + self.paused.len()
            + self.paused_leaders as usize
            + self.partitioned.as_ref().map_or(0, |p| p.len())
            + self.clogged.len()) as u32
    }

    /// Brokers the schedule has named as down (a fault may still pick another by role).
    fn named_down(&self) -> BTreeSet<u32> {
        let mut named: BTreeSet<u32> = self.crashed.union(&self.paused).copied().collect();
        named.extend(self.partitioned.iter().flatten());
        named.extend(self.clogged.iter().map(|(from, _)| *from));
        named
    }
}

/// One move of the nemesis: start or end a fault of one family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Move {
    Start(NemesisFamily),
    End(NemesisFamily),
}

/// An open fault the nemesis may end next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Open {
    Broker(u32),
    /// Every open fault that picked the leader of a partition (ended together).
    Leaders,
    Controller,
}

struct Generator<'a> {
    nemesis: &'a Nemesis,
    brokers: u32,
    partitions: Vec<TopicPartition>,
    state: DownSet,
    rng: ChaCha8Rng,
}

/// Draws the nemesis schedule of a run with `seed`. The same inputs give the same schedule.
pub fn generate(nemesis: &Nemesis, scenario: &Scenario, seed: u64) -> Vec<Fault> {
    let partitions = scenario
        .topics
        .iter()
        .flat_map(|t| (0..t.partitions).map(move |p| TopicPartition::new(t.name.clone(), p)))
        .collect();
    let mut generator = Generator {
        nemesis,
        brokers: scenario.brokers,
        partitions,
        state: DownSet::default(),
        rng: ChaCha8Rng::seed_from_u64(seed ^ NEMESIS_RNG_STREAM),
    };
    let (min_ms, max_ms) = nemesis.interval_ms;
    let mut faults = Vec::new();
    let mut at_ms: SimTime = 0;
    loop {
        at_ms += generator.rng.gen_range(min_ms.max(1)..=max_ms.max(min_ms).max(1));
        if at_ms > scenario.duration_ms {
            break;
        }
        let moves = generator.moves();
        let Some(&chosen) = moves.choose(&mut generator.rng) else { continue };
        faults.extend(generator.apply(chosen).into_iter().map(|action| Fault { at_ms, action }));
    }
    faults
}

impl Generator<'_> {
    fn live_brokers(&self) -> Vec<u32> {
        let named = self.state.named_down();
        (1..=self.brokers).filter(|b| !named.contains(b)).collect()
    }

    /// Every move possible now; each is equally likely.
    fn moves(&self) -> Vec<Move> {
        let room = self.state.down() < self.nemesis.max_down;
        let live = !self.live_brokers().is_empty();
        let s = &self.state;
        let mut moves = Vec::new();
        for &family in &self.nemesis.families {
            let (can_start, can_end) = match family {
                NemesisFamily::Crash => (
                    (room && live) || !s.controller_crashed,
                    !s.crashed.is_empty() || s.crashed_leaders > 0 || s.controller_crashed,
                ),
                NemesisFamily::Pause => (room && live, !s.paused.is_empty() || s.paused_leaders > 0),
                NemesisFamily::Partition => (room && live && s.partitioned.is_none(), s.partitioned.is_some()),
                NemesisFamily::Clog => (room && live, !s.clogged.is_empty()),
            };
            if can_start {
                moves.push(Move::Start(family));
            }
            if can_end {
                moves.push(Move::End(family));
            }
        }
        moves
    }

    fn broker(id: u32) -> NodeSelector {
        NodeSelector::Name(Scenario::broker_name(id))
    }

    /// A broker to fault: the leader of a random partition (half the time, when there are
    /// topics), or a broker the schedule has not taken down yet. `None`: the leader.
    fn pick_broker(&mut self) -> Option<u32> {
        let live = self.live_brokers();
        if !self.partitions.is_empty() && self.rng.gen_bool(0.5) {
            return None;
        }
        live.choose(&mut self.rng).copied()
    }

    fn leader(&mut self) -> NodeSelector {
        let tp = self.partitions.choose(&mut self.rng).expect("a leader is picked only when there are partitions");
        NodeSelector::Leader(tp.clone())
    }

    /// Every broker the schedule has not named in `named`, to end a fault that picked its
    /// broker by role (restarting or resuming a broker that is up does nothing).
    fn unnamed(&self, named: &BTreeSet<u32>) -> Vec<NodeSelector> {
        (1..=self.brokers).filter(|b| !named.contains(b)).map(Self::broker).collect()
    }

    fn apply(&mut self, chosen: Move) -> Vec<FaultAction> {
        let room = self.state.down() < self.nemesis.max_down && !self.live_brokers().is_empty();
        match chosen {
            Move::Start(NemesisFamily::Crash) => {
                let lose_unflushed = self.nemesis.lose_unflushed;
                // The controller is not a broker: it does not count against max_down.
                if !self.state.controller_crashed && (!room || self.rng.gen_bool(0.1)) {
                    self.state.controller_crashed = true;
                    return vec![FaultAction::Crash { node: NodeSelector::Controller, lose_unflushed }];
                }
                let node = match self.pick_broker() {
                    Some(b) => {
                        self.state.crashed.insert(b);
                        Self::broker(b)
                    }
                    None => {
                        self.state.crashed_leaders += 1;
                        self.leader()
                    }
                };
                vec![FaultAction::Crash { node, lose_unflushed }]
            }
            Move::End(NemesisFamily::Crash) => {
                let mut open: Vec<Open> = self.state.crashed.iter().map(|b| Open::Broker(*b)).collect();
                if self.state.crashed_leaders > 0 {
                    open.push(Open::Leaders);
                }
                if self.state.controller_crashed {
                    open.push(Open::Controller);
                }
                match open.choose(&mut self.rng).copied().expect("a crash ends only when one is open") {
                    Open::Controller => {
                        self.state.controller_crashed = false;
                        vec![FaultAction::Restart { node: NodeSelector::Name(Scenario::controller_name(1)) }]
                    }
                    Open::Broker(b) => {
                        self.state.crashed.remove(&b);
                        vec![FaultAction::Restart { node: Self::broker(b) }]
                    }
                    Open::Leaders => {
                        self.state.crashed_leaders = 0;
                        self.unnamed(&self.state.crashed)
                            .into_iter()
                            .map(|node| FaultAction::Restart { node })
                            .collect()
                    }
                }
            }
            Move::Start(NemesisFamily::Pause) => {
                let node = match self.pick_broker() {
                    Some(b) => {
                        self.state.paused.insert(b);
                        Self::broker(b)
                    }
                    None => {
                        self.state.paused_leaders += 1;
                        self.leader()
                    }
                };
                vec![FaultAction::Pause { node }]
            }
            Move::End(NemesisFamily::Pause) => {
                let mut open: Vec<Open> = self.state.paused.iter().map(|b| Open::Broker(*b)).collect();
                if self.state.paused_leaders > 0 {
                    open.push(Open::Leaders);
                }
                match open.choose(&mut self.rng).copied().expect("a pause ends only when one is open") {
                    Open::Broker(b) => {
                        self.state.paused.remove(&b);
                        vec![FaultAction::Resume { node: Self::broker(b) }]
                    }
                    Open::Leaders | Open::Controller => {
                        self.state.paused_leaders = 0;
                        self.unnamed(&self.state.paused).into_iter().map(|node| FaultAction::Resume { node }).collect()
                    }
                }
            }
            Move::Start(NemesisFamily::Partition) => {
                let mut live = self.live_brokers();
                let room = (self.nemesis.max_down - self.state.down()) as usize;
                let k = self.rng.gen_range(1..=room.min(live.len()));
                live.shuffle(&mut self.rng);
                let mut cut: Vec<u32> = live[..k].to_vec();
                cut.sort();
                let rest: Vec<String> = (1..=self.brokers)
                    .filter(|b| !cut.contains(b))
                    .map(Scenario::broker_name)
                    .chain(std::iter::once(Scenario::controller_name(1)))
                    .collect();
                self.state.partitioned = Some(cut.iter().copied().collect());
                let cut = cut.into_iter().map(Scenario::broker_name).collect();
                // Clients are unlisted: they stay with the controller and the other brokers.
                vec![FaultAction::Partition { groups: vec![cut, rest] }]
            }
            Move::End(NemesisFamily::Partition) => {
                self.state.partitioned = None;
                self.state.clogged.clear();
                vec![FaultAction::Heal]
            }
            Move::Start(NemesisFamily::Clog) => {
                let live = self.live_brokers();
                let from = *live.choose(&mut self.rng).expect("a clog starts only with a live broker");
                let mut targets: Vec<String> =
                    (1..=self.brokers).filter(|b| *b != from).map(Scenario::broker_name).collect();
                targets.push(Scenario::controller_name(1));
                let to = targets.choose(&mut self.rng).expect("the controller is always a target").clone();
                self.state.clogged.push((from, to.clone()));
                vec![FaultAction::Clog { from: Scenario::broker_name(from), to }]
            }
            Move::End(NemesisFamily::Clog) => {
                let i = self.rng.gen_range(0..self.state.clogged.len());
                let (from, to) = self.state.clogged.remove(i);
                vec![FaultAction::Unclog { from: Scenario::broker_name(from), to }]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_scenario;
    use super::*;
    use std::collections::BTreeMap;

    fn scenario(brokers: u32, nemesis: &str) -> Scenario {
        let text = format!(
            r#"
name = "nemesis-test"
duration_ms = 120000

[cluster]
brokers = {brokers}

[[topics]]
name = "orders"
partitions = 3
replication_factor = 3

[nemesis]
{nemesis}
"#
        );
        parse_scenario("nemesis-test.toml", &text).unwrap_or_else(|e| panic!("{}", e.render())).1
    }

    const ALL_KINDS: &str = r#"kinds = ["crash", "restart", "pause", "resume", "partition", "heal", "clog", "unclog"]"#;

    #[test]
    fn the_same_seed_draws_the_same_schedule_and_other_seeds_differ() {
        let s = scenario(3, &format!("{ALL_KINDS}\ninterval_ms = [1000, 5000]\nmax_down = 1"));
        assert_eq!(s.faults_for_seed(7), s.faults_for_seed(7));
        assert!(s.faults_for_seed(7).len() > 10, "{:?}", s.faults_for_seed(7));
        let distinct: BTreeSet<String> = (0..20).map(|seed| format!("{:?}", s.faults_for_seed(seed))).collect();
        assert_eq!(distinct.len(), 20, "20 seeds should draw 20 different schedules");
    }

    #[test]
    fn faults_come_in_time_order_within_the_workload_and_the_interval() {
        let s = scenario(3, &format!("{ALL_KINDS}\ninterval_ms = [1000, 5000]\nmax_down = 2"));
        for seed in 0..50 {
            let faults = s.faults_for_seed(seed);
            let times: BTreeSet<SimTime> = faults.iter().map(|f| f.at_ms).collect();
            let times: Vec<SimTime> = times.into_iter().collect();
            assert!(times[0] >= 1000 && *times.last().unwrap() <= s.duration_ms);
            for pair in times.windows(2) {
                assert!((1000..=5000).contains(&(pair[1] - pair[0])), "seed {seed}: {times:?}");
            }
        }
    }

    /// Which brokers are crashed, paused or cut off, as the cluster would have them.
    #[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
    struct Down {
        crashed: BTreeSet<u32>,
        paused: BTreeSet<u32>,
        cut: BTreeSet<u32>,
        clogged: BTreeMap<(u32, String), ()>,
    }

    impl Down {
        fn count(&self) -> usize {
            let mut all: BTreeSet<u32> = self.crashed.union(&self.paused).copied().collect();
            all.extend(&self.cut);
            all.extend(self.clogged.keys().map(|(from, _)| *from));
            all.len()
        }
    }

    fn broker_id(name: &str) -> Option<u32> {
        name.strip_prefix("broker-")?.parse().ok()
    }

    /// Plays a schedule the way the cluster applies it (restart only what is crashed, resume
    /// only what is paused, a crash unpauses) for every way `leader:T-P` could resolve, and
    /// returns the most brokers down at once in any of them.
    fn worst_case_down(faults: &[Fault], brokers: u32) -> usize {
        let mut states: BTreeSet<Down> = BTreeSet::from([Down::default()]);
        let mut worst = 0;
        for fault in faults {
            let mut next = BTreeSet::new();
            for state in &states {
                let targets = |node: &NodeSelector| -> Vec<Option<u32>> {
                    match node {
                        NodeSelector::Name(name) => vec![broker_id(name)],
                        NodeSelector::Controller => vec![None],
                        NodeSelector::Leader(_) | NodeSelector::Follower(_) | NodeSelector::Coordinator(_) => {
                            (1..=brokers).map(Some).collect()
                        }
                    }
                };
                match &fault.action {
                    FaultAction::Crash { node, .. } => {
                        for b in targets(node) {
                            let mut s = state.clone();
                            if let Some(b) = b {
                                s.crashed.insert(b);
                                s.paused.remove(&b);
                            }
                            next.insert(s);
                        }
                    }
                    FaultAction::Restart { node } => {
                        for b in targets(node) {
                            let mut s = state.clone();
                            if let Some(b) = b {
                                s.crashed.remove(&b);
                            }
                            next.insert(s);
                        }
                    }
                    FaultAction::Pause { node } => {
                        for b in targets(node) {
                            let mut s = state.clone();
                            if let Some(b) = b.filter(|b| !s.crashed.contains(b)) {
                                s.paused.insert(b);
                            }
                            next.insert(s);
                        }
                    }
                    FaultAction::Resume { node } => {
                        for b in targets(node) {
                            let mut s = state.clone();
                            if let Some(b) = b {
                                s.paused.remove(&b);
                            }
                            next.insert(s);
                        }
                    }
                    FaultAction::Partition { groups } => {
                        // Unlisted nodes join the last group; the brokers cut off are the ones
                        // not on the controller's side.
                        let controller_side = groups
                            .iter()
                            .position(|g| g.iter().any(|n| n == "controller-1"))
                            .unwrap_or(groups.len() - 1);
                        let mut s = state.clone();
                        s.cut = (1..=brokers)
                            .filter(|b| {
                                let side = groups
                                    .iter()
                                    .position(|g| g.contains(&Scenario::broker_name(*b)))
                                    .unwrap_or(groups.len() - 1);
                                side != controller_side
                            })
                            .collect();
                        next.insert(s);
                    }
                    FaultAction::Heal => {
                        let mut s = state.clone();
                        s.cut.clear();
                        s.clogged.clear();
                        next.insert(s);
                    }
                    FaultAction::Clog { from, to } => {
                        let mut s = state.clone();
                        s.clogged.insert((broker_id(from).expect("clogs start at a broker"), to.clone()), ());
                        next.insert(s);
                    }
                    FaultAction::Unclog { from, to } => {
                        let mut s = state.clone();
                        s.clogged.remove(&(broker_id(from).expect("clogs start at a broker"), to.clone()));
                        next.insert(s);
                    }
                    _ => {
                        next.insert(state.clone());
                    }
                }
            }
            worst = worst.max(next.iter().map(Down::count).max().unwrap_or(0));
            states = next;
        }
        worst
    }

    #[test]
    fn max_down_is_never_exceeded_however_the_leaders_resolve() {
        let configs = [
            (3, ALL_KINDS, 1),
            (3, ALL_KINDS, 2),
            (5, ALL_KINDS, 2),
            (5, ALL_KINDS, 3),
            (3, r#"kinds = ["crash", "restart"]"#, 1),
            (3, r#"kinds = ["pause", "resume", "crash", "restart"]"#, 2),
            (4, r#"kinds = ["partition", "heal", "clog", "unclog"]"#, 2),
        ];
        let mut reached = BTreeSet::new();
        for (brokers, kinds, max_down) in configs {
            let s = scenario(brokers, &format!("{kinds}\ninterval_ms = [500, 3000]\nmax_down = {max_down}"));
            for seed in 0..60 {
                let faults = s.faults_for_seed(seed);
                let worst = worst_case_down(&faults, brokers);
                assert!(
                    worst <= max_down as usize,
                    "{kinds} max_down = {max_down}, seed {seed}: {worst} brokers down at once in {faults:#?}"
                );
                if worst == max_down as usize {
                    reached.insert((brokers, kinds, max_down));
                }
            }
        }
        assert_eq!(reached.len(), configs.len(), "every config should use its full max_down at some seed");
    }

    #[test]
    fn every_fault_that_ends_something_follows_one_that_started_it() {
        let s = scenario(3, &format!("{ALL_KINDS}\ninterval_ms = [500, 3000]\nmax_down = 2"));
        for seed in 0..50 {
            let mut open: BTreeMap<&str, i32> = BTreeMap::new();
            let faults = s.faults_for_seed(seed);
            let mut at = 0;
            for f in &faults {
                let kind = f.action.kind();
                let family = NemesisFamily::of_kind(kind).unwrap();
                if kind == family.start_kind() {
                    *open.entry(family.start_kind()).or_default() += 1;
                } else if f.at_ms != at {
                    // Several restarts or resumes at one time end one fault together.
                    let n = open.entry(family.start_kind()).or_default();
                    assert!(*n > 0 || kind == "heal", "seed {seed}: {kind} at {} ends nothing", f.at_ms);
                    *n = (*n - 1).max(0);
                }
                at = f.at_ms;
            }
        }
    }

    #[test]
    fn crashes_are_power_losses_when_asked_and_pick_leaders_by_role() {
        let s = scenario(3, "kinds = [\"crash\", \"restart\"]\ninterval_ms = [500, 2000]\nlose_unflushed = true");
        let faults: Vec<Fault> = (0..10).flat_map(|seed| s.faults_for_seed(seed)).collect();
        let crashes: Vec<&Fault> = faults.iter().filter(|f| f.action.kind() == "crash").collect();
        assert!(crashes.iter().all(|f| matches!(f.action, FaultAction::Crash { lose_unflushed: true, .. })));
        assert!(crashes.iter().any(|f| matches!(&f.action, FaultAction::Crash { node: NodeSelector::Leader(_), .. })));
        assert!(crashes.iter().any(|f| matches!(&f.action, FaultAction::Crash { node: NodeSelector::Name(_), .. })));
    }

    #[test]
    fn listed_faults_are_merged_in_time_order_and_written_back_as_faults() {
        let text = r#"
name = "merge"
seed = 3
duration_ms = 20000

[cluster]
brokers = 3

[[topics]]
name = "orders"
partitions = 1
replication_factor = 3

[[faults]]
at_ms = 5000
kind = "latency"
latency_ms = [10, 20]

[nemesis]
kinds = ["crash", "restart", "partition", "heal"]
interval_ms = [1000, 3000]
"#;
        let (raw, s) = parse_scenario("merge.toml", text).unwrap();
        let faults = s.faults_for_seed(3);
        assert!(faults.iter().any(|f| f.action.kind() == "latency"));
        assert!(faults.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
        let concrete = concrete_raw(&raw, &s, 3);
        let written = super::super::to_toml(&concrete);
        assert!(!written.contains("[nemesis]"), "{written}");
        let (_, reread) =
            parse_scenario("concrete.toml", &written).unwrap_or_else(|e| panic!("{}\n{written}", e.render()));
        assert_eq!(reread.faults, faults, "the written schedule reads back the same:\n{written}");
        assert_eq!(reread.seed, Some(3));
        assert!(reread.nemesis.is_none());
    }

    fn nemesis_error(nemesis: &str) -> String {
        let text = format!(
            "name = \"bad\"\nduration_ms = 10000\n\n[cluster]\nbrokers = 3\n\n[[topics]]\nname = \"t\"\npartitions = 1\nreplication_factor = 3\n\n[nemesis]\n{nemesis}\n"
        );
        match parse_scenario("bad.toml", &text) {
            Ok(_) => panic!("should be rejected:\n{nemesis}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn bad_nemesis_tables_are_rejected_with_their_position() {
        let cases = [
            (
                "kinds = [\"crash\", \"restart\", \"explode\"]\ninterval_ms = [1, 2]",
                "bad.toml:13:30: unknown nemesis kind 'explode'",
            ),
            ("kinds = []\ninterval_ms = [1, 2]", "bad.toml:13:9: kinds must list at least one"),
            ("kinds = [\"crash\"]\ninterval_ms = [1, 2]", "bad.toml:13:9: kinds lists 'crash' without 'restart'"),
            ("kinds = [\"heal\"]\ninterval_ms = [1, 2]", "bad.toml:13:9: kinds lists 'heal' without 'partition'"),
            (
                "kinds = [\"crash\", \"restart\", \"crash\"]\ninterval_ms = [1, 2]",
                "bad.toml:13:30: 'crash' is listed twice",
            ),
            (
                "kinds = [\"crash\", \"restart\"]\ninterval_ms = [5, 2]",
                "bad.toml:14:15: interval_ms = [5, 2]: the first bound",
            ),
            (
                "kinds = [\"crash\", \"restart\"]\ninterval_ms = [0, 2]",
                "bad.toml:14:15: interval_ms = [0, 2]: the time between",
            ),
            (
                "kinds = [\"crash\", \"restart\"]\ninterval_ms = [20000, 30000]",
                "after the workload ends (duration_ms = 10000)",
            ),
            (
                "kinds = [\"crash\", \"restart\"]\ninterval_ms = [1, 2]\nmax_down = 0",
                "bad.toml:15:12: max_down = 0 leaves no broker to crash",
            ),
            (
                "kinds = [\"crash\", \"restart\"]\ninterval_ms = [1, 2]\nmax_down = 4",
                "max_down = 4, but the cluster has only 3 broker(s)",
            ),
            (
                "kinds = [\"pause\", \"resume\"]\ninterval_ms = [1, 2]\nlose_unflushed = true",
                "bad.toml:15:18: lose_unflushed applies to crashes",
            ),
            (
                "kinds = [\"crash\", \"restart\"]\ninterval_ms = [1, 2]\nmax_dwn = 1",
                "bad.toml:15:1: unknown field `max_dwn`",
            ),
            ("kinds = [\"crash\", \"restart\"]", "missing field `interval_ms`"),
        ];
        for (nemesis, expected) in cases {
            let error = nemesis_error(nemesis);
            assert!(error.contains(expected), "for\n{nemesis}\nexpected '{expected}' in: {error}");
        }
    }
}
