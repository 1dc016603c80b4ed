//! The bug-hunting tools end to end: `kafkasim sweep` (exit codes, bad input, JSON that does not
//! depend on scheduling, shards that merge back), `kafkasim shrink` (a planted failure shrinks
//! and still fails), and the checkers catching each buggy protocol toggle under a random
//! (`[nemesis]`) schedule within a pinned number of seeds.

use kafkasim::lab::run::execute;
use kafkasim::scenario::{self, parse_scenario, Scenario};
use kafkasim::shrink::{shrink, ShrinkOptions, Target};
use kafkasim::sweep::{run_seed, SweepResult};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kafkasim(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kafkasim")).args(args).current_dir(cwd).output().expect("kafkasim runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kafkasim-sweep-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A small cluster under a random schedule: a run takes a fraction of a second.
const NEMESIS: &str = r#"
name = "tiny-nemesis"
duration_ms = 6000
settle_ms = 10000

[cluster]
brokers = 3

[[topics]]
name = "orders"
partitions = 2
replication_factor = 3

[topics.config]
"min.insync.replicas" = 2

[[producers]]
name = "p1"
topic = "orders"
messages_per_sec = 50

[producers.config]
acks = "all"

[[consumer_groups]]
group = "g"
topics = ["orders"]
members = 1

[consumer_groups.config]
"auto.offset.reset" = "earliest"

[nemesis]
kinds = ["crash", "restart", "pause", "resume"]
interval_ms = [500, 2000]
max_down = 1

[[checks]]
name = "lost-write"
expect = "none"
"#;

fn nemesis_dir(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::write(dir.join("tiny.toml"), NEMESIS).unwrap();
    dir
}

#[test]
fn bad_sweep_input_exits_2_with_a_clear_error_and_no_panic() {
    let dir = nemesis_dir("bad");
    std::fs::write(dir.join("other.json"), "{\"hello\": 1}").unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["sweep", "tiny.toml", "--seeds", "5..5"], "the range is empty"),
        (&["sweep", "tiny.toml", "--seeds", "9..3"], "the range is reversed"),
        (&["sweep", "tiny.toml", "--seeds", "one..ten"], "'one' is not a seed"),
        (&["sweep", "tiny.toml", "--seeds", "1-10"], "write a range of seeds as A..B"),
        (&["sweep", "tiny.toml", "--seeds", "1..5", "--jobs", "0"], "--jobs 0"),
        (&["sweep", "tiny.toml", "--seeds", "1..5", "--shard", "3/2"], "there is no shard 3 of 2"),
        (&["sweep", "tiny.toml", "--seeds", "1..5", "--shard", "0/2"], "shards count from 1"),
        (&["sweep", "tiny.toml", "--seeds", "1..5", "--shard", "1/0"], "0 shards"),
        (&["sweep", "tiny.toml", "--seeds", "1..5", "--shard", "half"], "write the shard as i/n"),
        (&["sweep", "missing.toml", "--seeds", "1..5"], "missing.toml"),
        (&["sweep", "tiny.toml"], "--seeds"),
        (&["sweep", "--merge", "nope.json"], "cannot read nope.json"),
        (&["sweep", "--merge", "other.json"], "other.json: not a kafkasim sweep result"),
        (&["shrink", "tiny.toml", "--seed", "1", "--max-runs", "0"], "--max-runs 0"),
    ];
    for (args, needle) in cases {
        let out = kafkasim(args, &dir);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: exit 2 expected, stderr:\n{stderr}");
        assert!(stderr.contains(needle), "{args:?}: expected '{needle}' in:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{args:?} must not panic:\n{stderr}");
    }
}

#[test]
fn the_json_result_is_the_same_with_one_job_or_two_and_shards_merge_back_into_it() {
    let dir = nemesis_dir("json");
    let sweep = |extra: &[&str]| {
        let mut args = vec!["sweep", "tiny.toml", "--seeds", "1..=6", "--json"];
        args.extend_from_slice(extra);
        let out = kafkasim(&args, &dir);
        assert_eq!(out.status.code(), Some(0), "{args:?}:\n{}", text(&out.stderr));
        text(&out.stdout)
    };
    let one_job = sweep(&["--jobs", "1"]);
    let two_jobs = sweep(&["--jobs", "2"]);
    assert_eq!(one_job, two_jobs, "results must not depend on how runs were scheduled");
    let result = SweepResult::from_json("one.json", &one_job).unwrap();
    assert_eq!(result.seeds.iter().map(|s| s.seed).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6]);
    assert!(result.ok && result.seeds.iter().all(|s| s.trace_sha256.is_some()));

    std::fs::write(dir.join("s1.json"), sweep(&["--shard", "1/2"])).unwrap();
    std::fs::write(dir.join("s2.json"), sweep(&["--shard", "2/2"])).unwrap();
    let shard1 = SweepResult::from_json("s1.json", &std::fs::read_to_string(dir.join("s1.json")).unwrap()).unwrap();
    assert_eq!(shard1.seeds.iter().map(|s| s.seed).collect::<Vec<_>>(), vec![1, 3, 5], "shard 1/2 interleaves");

    let merged = kafkasim(&["sweep", "--merge", "s2.json", "s1.json", "--json"], &dir);
    assert_eq!(merged.status.code(), Some(0), "{}", text(&merged.stderr));
    assert_eq!(text(&merged.stdout), one_job, "the merged shards are the whole sweep");
    let table = kafkasim(&["sweep", "--merge", "s1.json", "s2.json"], &dir);
    assert!(text(&table.stdout).contains("every seed (6) met every expectation"), "{}", text(&table.stdout));

    let overlap = kafkasim(&["sweep", "--merge", "s1.json", "s1.json"], &dir);
    assert_eq!(overlap.status.code(), Some(2));
    assert!(text(&overlap.stderr).contains("the results overlap: seed 1 is in s1.json and s1.json (same trace)"));
    let missing = kafkasim(&["sweep", "--merge", "s1.json"], &dir);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("seeds missing from 1..7: 2, 4, 6"), "{}", text(&missing.stderr));
}

#[test]
fn a_failing_sweep_exits_1_and_lists_each_failing_seed_with_its_replay_command() {
    let dir = temp_dir("fail");
    // No faults at all: a demonstration of loss that cannot happen fails at every seed.
    let demo = NEMESIS.replace("expect = \"none\"", "expect = \"some\"");
    let demo = demo[..demo.find("[nemesis]").unwrap()].to_string() + &demo[demo.find("[[checks]]").unwrap()..];
    std::fs::write(dir.join("demo.toml"), demo).unwrap();
    let out = kafkasim(&["sweep", "demo.toml", "--seeds", "1..4", "--jobs", "2"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("lost-write                   some    0            3"), "{stdout}");
    assert!(stdout.contains("3 of 3 seed(s) missed an expectation"), "{stdout}");
    for seed in 1..4 {
        assert!(stdout.contains(&format!("seed {seed}: lost-write (expected some, found none)")), "{stdout}");
        assert!(stdout.contains(&format!("kafkasim run demo.toml --seed {seed}")), "{stdout}");
    }
    let stderr = text(&out.stderr);
    assert!(stderr.contains("sweep: 3/3 seeds"), "plain progress lines when stderr is not a terminal:\n{stderr}");
    assert!(stderr.contains("seed 2 missed lost-write  (kafkasim run demo.toml --seed 2)"), "{stderr}");
}

/// The unclean-election demonstration, turned into a scenario that must NOT lose writes, with
/// faults that have nothing to do with the loss added before and after.
fn planted_failure() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/unclean-election-loses.toml");
    let original = std::fs::read_to_string(path).unwrap();
    let text = original.replace("name = \"lost-write\"\nexpect = \"some\"", "name = \"lost-write\"\nexpect = \"none\"");
    let before = "[[faults]]\nat_ms = 1000\nkind = \"latency\"\nlatency_ms = [1, 5]\n\n\
                  [[faults]]\nat_ms = 1500\nkind = \"restart\"\nnode = \"broker-2\"\n\n";
    let after = "[[faults]]\nat_ms = 62000\nkind = \"pause\"\nnode = \"readers-1\"\n\n\
                 [[faults]]\nat_ms = 63000\nkind = \"resume\"\nnode = \"readers-1\"\n\n\
                 [[faults]]\nat_ms = 65000\nkind = \"restart\"\nnode = \"broker-1\"\n\n\
                 [[faults]]\nat_ms = 66000\nkind = \"loss\"\npacket_loss = 0.0\n\n";
    let first_fault = text.find("# The followers").unwrap();
    let checks = text.find("[[checks]]").unwrap();
    format!("{}{before}{}{after}{}", &text[..first_fault], &text[first_fault..checks], &text[checks..])
}

#[test]
fn a_planted_failure_shrinks_to_fewer_faults_and_still_fails_the_same_way() {
    let planted = planted_failure();
    let (raw, scenario) = parse_scenario("planted.toml", &planted).unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(scenario.faults.len(), 10);
    let options = ShrinkOptions { seed: 3, max_runs: 12, check: None };
    let outcome = shrink(&raw, &scenario, &options, |line| println!("{line}")).unwrap();
    assert_eq!(outcome.target, Target::Violation("lost-write".into()));
    assert!(outcome.runs <= 12);

    // What is written is a valid scenario that fails the same way when run on its own.
    let written = outcome.to_toml("planted.toml", 3);
    let (_, small) = parse_scenario("small.toml", &written).unwrap_or_else(|e| panic!("{}\n{written}", e.render()));
    assert!(small.faults.len() <= 4, "10 faults should shrink to the two partitions and heals:\n{written}");
    assert_eq!(small.seed, Some(3));
    let report = execute(&small, 3).unwrap();
    let lost = report.verdicts.iter().find(|v| v.name == "lost-write").unwrap();
    assert!(!lost.ok && lost.count > 0, "the shrunk scenario must still lose writes:\n{written}");
}

#[test]
fn shrink_on_the_command_line_writes_the_smaller_scenario_and_refuses_a_passing_seed() {
    let dir = temp_dir("shrink-cli");
    std::fs::write(dir.join("planted.toml"), planted_failure()).unwrap();
    let out = kafkasim(&["shrink", "planted.toml", "--seed", "3", "--max-runs", "6", "--out", "small.toml"], &dir);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.starts_with("seed: 3\n"), "{stdout}");
    assert!(stdout.contains("shrunk in 6 run(s) (the --max-runs budget ran out"), "{stdout}");
    assert!(stdout.contains("faults: 10 -> "), "{stdout}");
    assert!(stdout.contains("replay: kafkasim run small.toml --seed 3"), "{stdout}");
    let run = kafkasim(&["run", "small.toml", "--out", "out"], &dir);
    assert_eq!(run.status.code(), Some(1), "the written scenario replays the failure");

    std::fs::write(dir.join("tiny.toml"), NEMESIS).unwrap();
    let out = kafkasim(&["shrink", "tiny.toml", "--seed", "1"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("seed 1 meets every expectation: there is no failure to shrink"));
}

// ---- the checkers catch real protocol bugs ------------------------------------------------------

/// A cluster with a random fault schedule; `cluster` and `topic` are extra config lines.
fn toggled(cluster: &str, topic: &str, nemesis: &str) -> Scenario {
    let text = format!(
        r#"name = "toggle"
duration_ms = 20000
settle_ms = 20000

[cluster]
brokers = 3

[cluster.config]
"replica.lag.time.max.ms" = 3000
# A restarted broker registers once its old session expired: keep that short for fast schedules.
"broker.session.timeout.ms" = 1500
"broker.heartbeat.interval.ms" = 300
{cluster}

[network]
latency_ms = [1, 5]

[[topics]]
name = "orders"
partitions = 2
replication_factor = 3

[topics.config]
{topic}

[[producers]]
name = "p1"
topic = "orders"
messages_per_sec = 100

[producers.config]
acks = "all"
"request.timeout.ms" = 3000

[[consumer_groups]]
group = "audit"
topics = ["orders"]
members = 1

[consumer_groups.config]
"auto.offset.reset" = "earliest"

[nemesis]
{nemesis}

[[checks]]
name = "lost-write"
expect = "none"

[[checks]]
name = "committed-data-loss"
expect = "none"
"#
    );
    parse_scenario("toggle.toml", &text).unwrap_or_else(|e| panic!("{}", e.render())).1
}

/// Sweeps seeds 1..=`bound` of the buggy scenario until `check` fires; the same seed of the
/// correct protocol must not fire it. Returns the first seed that caught the bug.
fn caught_within(bound: u64, check: &str, buggy: &Scenario, correct: &Scenario) -> u64 {
    let seed = (1..=bound)
        .find(|&seed| run_seed(buggy, seed).found.contains_key(check))
        .unwrap_or_else(|| panic!("{check} did not fire within {bound} seeds"));
    let control = run_seed(correct, seed);
    assert!(!control.found.contains_key(check), "seed {seed}: {check} fires without the bug too: {control:?}");
    println!("{check} caught the bug at seed {seed} (of at most {bound})");
    seed
}

const FAST_CRASHES: &str = "kinds = [\"crash\", \"restart\"]\ninterval_ms = [1, 2000]\nmax_down = 1";

#[test]
fn truncating_to_the_high_watermark_is_caught() {
    // Before KIP-101 a follower truncated to its high watermark, which can be behind records it
    // acknowledged as part of the ISR; when leadership moves twice in quick succession (crashes a
    // second or so apart, one broker at a time) a replica that truncated so becomes leader.
    let truncation = "\"replication.truncation\" = \"high-watermark\"";
    caught_within(20, "committed-data-loss", &toggled(truncation, "", FAST_CRASHES), &toggled("", "", FAST_CRASHES));
}

#[test]
fn unclean_leader_election_is_caught() {
    // With two brokers down or cut off at once the ISR can shrink to one; with unclean election
    // on, an out-of-sync replica then takes over and the acknowledged tail is gone.
    let nemesis = "kinds = [\"crash\", \"restart\", \"partition\", \"heal\"]\ninterval_ms = [1, 1000]\nmax_down = 2";
    let unclean = toggled("\"unclean.leader.election.enable\" = true", "", nemesis);
    caught_within(10, "committed-data-loss", &unclean, &toggled("", "", nemesis));
}

/// A simulator bug the `converges after healing` property found, shrunk by `kafkasim shrink`
/// from a random schedule: broker-2 becomes leader, crashes before appending anything in its
/// epoch and restarts. It kept the empty epoch in its leader-epoch cache, so every fetch from
/// the new leader answered "diverging epoch" and it never caught up. Kafka's
/// `UnifiedLog.truncateTo` drops such an entry even when there is nothing to truncate.
#[test]
fn regression_a_leader_that_appended_nothing_in_its_epoch_catches_up_as_a_follower() {
    let text = r#"
name = "follower-stops-fetching"
seed = 1
duration_ms = 2233

[cluster]
brokers = 3

[network]
latency_ms = [1, 5]

[[topics]]
name = "orders"
partitions = 1
replication_factor = 3

[[producers]]
name = "p1"
topic = "orders"
messages_per_sec = 1

[[consumer_groups]]
group = "audit"
topics = ["orders"]
members = 1

[[faults]]
at_ms = 2225
kind = "crash"
node = "broker-1"

[[faults]]
at_ms = 2225
kind = "restart"
node = "broker-1"

[[faults]]
at_ms = 2233
kind = "crash"
node = "broker-2"
"#;
    let (_, scenario) = parse_scenario("bug.toml", text).unwrap();
    let report = execute(&scenario, 1).unwrap();
    let converged = report.verdicts.iter().find(|v| v.name == "converged").unwrap();
    assert_eq!(converged.count, 0, "{}", kafkasim::lab::run::render_checks(&report));
}

#[test]
fn a_nemesis_scenario_replays_identically_once_its_schedule_is_written_out() {
    let (raw, scenario) = parse_scenario("tiny.toml", NEMESIS).unwrap();
    let concrete = scenario::to_toml(&scenario::concrete_raw(&raw, &scenario, 4));
    let (_, written) = parse_scenario("concrete.toml", &concrete).unwrap();
    assert!(written.nemesis.is_none() && !written.faults.is_empty());
    let a = execute(&scenario, 4).unwrap();
    let b = execute(&written, 4).unwrap();
    assert_eq!(a.trace_sha256, b.trace_sha256, "the drawn schedule is the same run:\n{concrete}");
}

/// A simulator panic a sweep found (`broker N got Fetch for OffsetsForLeaderEpoch`), shrunk by
/// `kafkasim shrink` from 175 faults of a random crash/pause/partition schedule to these five:
/// a leader answered a fetch it had held in purgatory from a broker's previous process, and the
/// restarted broker took it for its own request with the same correlation id. The network now
/// delivers answers only to the process that asked (`sim::network`'s unit test pins the
/// mechanism; this schedule no longer reaches it since the cluster's start-up changed).
#[test]
fn regression_a_restarted_broker_never_takes_an_answer_meant_for_its_previous_process() {
    let text = r#"
name = "wrong-response-kind"
seed = 1
duration_ms = 1871
settle_ms = 20000

[cluster]
brokers = 3

[network]
latency_ms = [1, 5]

[[topics]]
name = "orders"
partitions = 2
replication_factor = 3

[[producers]]
name = "p1"
topic = "orders"
messages_per_sec = 1

[producers.config]
acks = "all"
"request.timeout.ms" = 3000

[[consumer_groups]]
group = "audit"
topics = ["orders"]
members = 1

[consumer_groups.config]
"auto.offset.reset" = "earliest"

[[faults]]
at_ms = 0
kind = "crash"
node = "broker-2"

[[faults]]
at_ms = 983
kind = "partition"
groups = [["broker-3"], ["broker-1", "broker-2", "controller-1"]]

[[faults]]
at_ms = 983
kind = "restart"
node = "broker-2"

[[faults]]
at_ms = 1871
kind = "partition"
groups = [["broker-1"], ["broker-2", "broker-3", "controller-1"]]

[[faults]]
at_ms = 1871
kind = "crash"
node = "leader:orders-1"
"#;
    let (_, scenario) = parse_scenario("bug.toml", text).unwrap();
    if let Err(e) = execute(&scenario, 1) {
        panic!("{e}");
    }
}
