//! The command line's contract (SCENARIO-FORMAT.md): exit codes, the seed first, JSON output, and
//! one clear error with file, line and column for bad input, with nothing written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kafkasim(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kafkasim")).args(args).current_dir(cwd).output().expect("kafkasim runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kafkasim-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const VALID: &str = r#"
name = "tiny"
duration_ms = 3000
settle_ms = 3000

[cluster]
brokers = 3

[[topics]]
name = "orders"
partitions = 2
replication_factor = 3

[[producers]]
name = "p1"
topic = "orders"
messages_per_sec = 50

[[consumer_groups]]
group = "g"
topics = ["orders"]
members = 1

[consumer_groups.config]
"auto.offset.reset" = "earliest"

[[faults]]
at_ms = 1000
kind = "crash"
node = "leader:orders-0"

[[checks]]
name = "lost-write"
expect = "none"
"#;

/// Writes `text` as a scenario, runs `kafkasim run` on it, and expects exit 2 with an error
/// naming `line:column` and containing `needle`, and no report written.
fn expect_input_error(case: &str, text: &str, line_col: &str, needle: &str) {
    let dir = temp_dir(case);
    let file = dir.join("bad.toml");
    std::fs::write(&file, text).unwrap();
    let out = kafkasim(&["run", "bad.toml"], &dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{case}: exit code 2 expected, stderr:\n{stderr}");
    assert!(
        stderr.contains(&format!("bad.toml:{line_col}")),
        "{case}: expected position bad.toml:{line_col} in:\n{stderr}"
    );
    assert!(stderr.contains(needle), "{case}: expected '{needle}' in:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{case}: must not panic:\n{stderr}");
    assert!(!dir.join("reports").exists(), "{case}: nothing may be written for bad input");
    let out = kafkasim(&["validate", "bad.toml"], &dir);
    assert_eq!(out.status.code(), Some(2), "{case}: validate must reject it too");
}

#[test]
fn malformed_toml() {
    expect_input_error("malformed", "name = \"x\"\n[cluster\nbrokers = 3\n", "2:9", "unclosed table");
}

#[test]
fn unknown_key() {
    let text = VALID.replace("brokers = 3", "brokers = 3\nbrokerz = 4");
    expect_input_error("unknown-key", &text, "8:1", "unknown field `brokerz`");
}

#[test]
fn unknown_kafka_config_key() {
    let text =
        VALID.replace("[consumer_groups.config]", "[consumer_groups.config]\n\"auto.offset.rest\" = \"earliest\"");
    expect_input_error("unknown-config", &text, "25:1", "unknown consumer config 'auto.offset.rest'");
}

#[test]
fn wrong_value_type() {
    let text = VALID.replace("partitions = 2", "partitions = \"two\"");
    expect_input_error("wrong-type", &text, "11:14", "invalid type");
}

#[test]
fn bad_kafka_config_value_uses_kafkas_words() {
    let text = VALID.replace(
        "replication_factor = 3\n",
        "replication_factor = 3\n\n[topics.config]\n\"min.insync.replicas\" = 0\n",
    );
    expect_input_error(
        "bad-config-value",
        &text,
        "15:25",
        "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1",
    );
}

#[test]
fn a_value_outside_a_keys_choices_lists_them() {
    let text = VALID.replace(
        "brokers = 3\n",
        "brokers = 3\n\n[cluster.config]\n\"kafkasim.planted.bug\" = \"unclean-election-keep-isr\"\n",
    );
    expect_input_error(
        "bad-one-of",
        &text,
        "10:26",
        "Invalid value unclean-election-keep-isr for configuration kafkasim.planted.bug: String must be one of: \
         none, unclean-election-keeps-isr, leader-change-keeps-epoch",
    );
}

#[test]
fn fault_naming_a_node_that_does_not_exist() {
    let text = VALID.replace("node = \"leader:orders-0\"", "node = \"broker-9\"");
    expect_input_error("no-node", &text, "30:8", "no node is named 'broker-9'");
}

#[test]
fn fault_naming_a_partition_that_does_not_exist() {
    let text = VALID.replace("leader:orders-0", "leader:orders-7");
    expect_input_error("no-partition", &text, "30:8", "partition orders-7 does not exist");
}

#[test]
fn replication_factor_above_the_broker_count() {
    let text = VALID.replace("replication_factor = 3", "replication_factor = 4");
    expect_input_error("rf", &text, "12:22", "only 3 broker(s) are registered");
}

#[test]
fn faults_out_of_time_order() {
    let text = format!("{VALID}\n[[faults]]\nat_ms = 500\nkind = \"heal\"\n");
    expect_input_error("order", &text, "37:9", "comes before the previous fault");
}

#[test]
fn idempotence_with_acks_1_gets_kafkas_message() {
    let text = VALID.replace(
        "messages_per_sec = 50\n",
        "messages_per_sec = 50\n\n[producers.config]\nacks = \"1\"\n\"enable.idempotence\" = true\n",
    );
    expect_input_error("idempotence", &text, "20:1", "Must set acks to all in order to use the idempotent producer");
}

#[test]
fn a_transactional_id_without_idempotence_gets_kafkas_message() {
    for (case, conflict) in [("txn-no-idem", "\"enable.idempotence\" = false"), ("txn-acks-1", "acks = \"1\"")] {
        let text = VALID.replace(
            "messages_per_sec = 50\n",
            &format!("messages_per_sec = 50\n\n[producers.config]\n\"transactional.id\" = \"tx\"\n{conflict}\n"),
        );
        expect_input_error(case, &text, "20:1", "Cannot set a transactional.id without also enabling idempotence.");
    }
}

#[test]
fn transaction_workload_fields_need_a_transactional_producer() {
    let text = VALID.replace("messages_per_sec = 50\n", "messages_per_sec = 50\nabort_ratio = 0.2\n");
    expect_input_error("abort-ratio", &text, "18:15", "abort_ratio needs a transactional producer");
}

#[test]
fn read_topics_need_a_transactional_producer_and_a_declared_topic() {
    let reads = VALID.replace("messages_per_sec = 50\n", "messages_per_sec = 50\nread_topics = [\"orders\"]\n");
    expect_input_error("read-topics", &reads, "18:16", "read_topics needs a transactional producer");
    let unknown = VALID.replace("messages_per_sec = 50\n", "messages_per_sec = 50\nread_topics = [\"payments\"]\n");
    expect_input_error("read-unknown", &unknown, "18:16", "producer 'p1' reads topic 'payments', which the scenario");
}

#[test]
fn a_missing_file_is_an_input_error() {
    let dir = temp_dir("missing");
    let out = kafkasim(&["run", "nope.toml"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.toml"));
}

#[test]
fn run_prints_the_seed_first_and_json_matches_the_contract() {
    let dir = temp_dir("json");
    std::fs::write(dir.join("tiny.toml"), VALID).unwrap();
    let text = kafkasim(&["run", "tiny.toml", "--seed", "9"], &dir);
    assert_eq!(text.status.code(), Some(0), "{}", String::from_utf8_lossy(&text.stderr));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert_eq!(stdout.lines().next(), Some("seed: 9"));
    assert!(stdout.contains("Topic: orders\tTopicId: "), "the describe table ends the output:\n{stdout}");

    let json = kafkasim(&["run", "tiny.toml", "--seed", "9", "--json", "--out", "out"], &dir);
    assert_eq!(json.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("stdout is one JSON object");
    for key in ["scenario", "seed", "trace_sha256", "sim_ms", "wall_ms", "checks", "stats"] {
        assert!(value.get(key).is_some(), "missing {key}: {value}");
    }
    assert_eq!(value["seed"], 9);
    let check = &value["checks"][0];
    for key in ["name", "expect", "found", "count", "ok"] {
        assert!(check.get(key).is_some(), "check lacks {key}: {check}");
    }
    assert!(String::from_utf8_lossy(&json.stderr).starts_with("seed: 9"));
    assert!(dir.join("out/history.jsonl").exists() && dir.join("out/result.json").exists());
}

#[test]
fn a_missed_expectation_exits_1() {
    let dir = temp_dir("exit1");
    let text = VALID.replace("expect = \"none\"", "expect = \"some\"");
    std::fs::write(dir.join("demo.toml"), text).unwrap();
    let out = kafkasim(&["run", "demo.toml"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAIL"));
}

#[test]
fn bad_flags_exit_2() {
    let dir = temp_dir("flags");
    let out = kafkasim(&["run", "x.toml", "--seed", "minus-one"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let out = kafkasim(&["frobnicate"], &dir);
    assert_eq!(out.status.code(), Some(2));
}

/// `kafkasim run FILE | head -1`: the reader closes the pipe after one line; kafkasim ends
/// without a panic message instead of panicking in `println!`.
#[test]
fn a_reader_that_closes_the_pipe_early_gets_no_panic() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = temp_dir("closed-pipe");
    std::fs::write(dir.join("tiny.toml"), VALID).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kafkasim"))
        .args(["run", "tiny.toml"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kafkasim starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.starts_with("seed: "), "the seed comes first: {first:?}");
    // The reader (and so the pipe's read end) is gone now.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "no panic on a closed pipe:\n{stderr}");
}
