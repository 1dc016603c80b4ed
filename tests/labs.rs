//! The teaching labs (labs/NN-topic/lab.toml): every lab parses and meets its expected state at
//! every checkpoint; a wrong expectation is reported with its lab and checkpoint; a bad lab file
//! is an error with file, line and column (exit code 2); and an experiment typed at a checkpoint
//! is written down as a scenario that `kafkasim run` replays to the same trace.

use kafkasim::lab::catalog::lab_dirs;
use kafkasim::lab::lab_file::{load_lab, parse_lab};
use kafkasim::lab::session::{check_lab, walk, WalkOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

fn labs_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("labs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kafkasim-labs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_lab_parses_and_meets_its_expectations() {
    let dirs = lab_dirs(&labs_root()).expect("labs/ lists");
    assert!(dirs.len() >= 11, "the course has eleven labs, found {}", dirs.len());
    // Two at a time: each simulation runs on its own thread anyway, and CI has two cores.
    let misses: Vec<String> = std::thread::scope(|scope| {
        let halves: Vec<_> = dirs
            .chunks(dirs.len().div_ceil(2))
            .map(|chunk| {
                scope.spawn(move || {
                    let mut misses = Vec::new();
                    for dir in chunk {
                        let lab = load_lab(dir).unwrap_or_else(|e| panic!("{}", e.render()));
                        assert!(!lab.checkpoints.is_empty());
                        let outcome = check_lab(&lab).expect("the lab's scenario runs");
                        assert!(outcome.expectations() > 0, "lab {} asserts nothing", lab.id);
                        misses.extend(outcome.misses());
                    }
                    misses
                })
            })
            .collect();
        halves.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

#[test]
fn a_wrong_expectation_fails_naming_the_lab_and_checkpoint() {
    let dir = labs_root().join("02-replication-isr-hw");
    let text = std::fs::read_to_string(dir.join("lab.toml")).unwrap();
    let right = r#"expect = ["isr events-0 = [1,2]", "leo events-0 broker-3 < leo events-0 broker-1"]"#;
    assert!(text.contains(right), "lab 02 changed: update this test");
    // broker-3 has just left the ISR: claiming it is still there must fail.
    let wrong = text.replace(right, r#"expect = ["isr events-0 = [1,2,3]"]"#);
    let lab = parse_lab(&dir, "lab.toml", &wrong).expect("still a valid lab");
    let outcome = check_lab(&lab).expect("runs");
    let misses = outcome.misses();
    assert_eq!(misses.len(), 1, "{misses:?}");
    assert!(
        misses[0].contains("lab 02-replication-isr-hw, checkpoint 'broker-3 falls out of the ISR'")
            && misses[0].contains("expected `isr events-0 = [1,2,3]`, found [1,2]"),
        "{}",
        misses[0]
    );
}

const TINY_SCENARIO: &str = r#"
[scenario]
name = "tiny"
duration_ms = 3000
settle_ms = 2000

[scenario.cluster]
brokers = 3

[[scenario.topics]]
name = "orders"
partitions = 2
replication_factor = 3

[[scenario.consumer_groups]]
group = "readers"
topics = ["orders"]
members = 1
"#;

fn lab_text(checkpoint: &str) -> String {
    format!("title = \"tiny\"\n\n[[checkpoints]]\nname = \"one\"\n{checkpoint}\nexplain = \"x\"\n{TINY_SCENARIO}")
}

#[test]
fn bad_lab_files_name_file_line_and_column() {
    let dir = Path::new("labs/99-bad");
    let cases = [
        // An unknown key in a checkpoint.
        (lab_text("at_ms = 1000\nwhen_ms = 3"), 6, "unknown field `when_ms`"),
        // An expectation about a partition the scenario does not have.
        (lab_text("at_ms = 1000\nexpect = [\"isr orders-7 = [1]\"]"), 6, "orders-7"),
        // A consumer metric that does not exist, and a group that does not.
        (lab_text("at_ms = 1000\nexpect = [\"consumer-metric readers fetch-rate > 1\"]"), 6, "not a consumer metric"),
        (lab_text("at_ms = 1000\nexpect = [\"consumer-metric writers e2e-latency-avg < 1\"]"), 6, "writers"),
        // An event that is not one.
        (lab_text("when = \"broker-2 explodes\""), 5, "unknown checkpoint event"),
        // A problem inside the embedded scenario still points into lab.toml.
        (lab_text("at_ms = 1000").replace("brokers = 3", "brokers = 0"), 14, "brokers must be between"),
    ];
    for (text, line, message) in cases {
        let error = parse_lab(dir, "labs/99-bad/lab.toml", &text).expect_err("invalid");
        assert_eq!((error.file.as_str(), error.line), ("labs/99-bad/lab.toml", line), "{}", error.render());
        assert!(error.column >= 1);
        assert!(error.message.contains(message), "{}", error.message);
    }
    // The command line exits 2 and prints the position.
    let root = temp_dir("bad");
    std::fs::create_dir_all(root.join("01-bad")).unwrap();
    std::fs::write(root.join("01-bad/lab.toml"), lab_text("when = \"broker-2 explodes\"")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kafkasim"))
        .args(["lab", "check", "--dir"])
        .arg(&root)
        .output()
        .expect("kafkasim runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("01-bad/lab.toml:5:8"), "{stderr}");
}

#[test]
fn an_experiment_is_written_down_and_replays_to_the_same_trace() {
    let lab = load_lab(&labs_root().join("02-replication-isr-hw")).expect("lab 02 parses");
    let reports = temp_dir("experiment");
    let options = WalkOptions { pause: true, reports_dir: reports.clone(), plots: false };
    // At the first checkpoint (8 s): crash the leader's other follower too, then quit.
    let mut input: &[u8] = b"describe\ncrash broker-2\nquit\n";
    let mut out = Vec::new();
    let summary = walk(&lab, &options, &mut input, &mut out).expect("the walk runs");
    let text = String::from_utf8(out).unwrap();
    let (path, hash) = summary.experiment.expect("an experiment was written");
    assert_eq!(path, reports.join("lab-02-experiment.toml"));
    assert!(text.contains(&format!("trace sha256: {hash}")), "{text}");
    assert!(text.contains("Isr: 1,3"), "the crash shows in the ISR changes printed:\n{text}");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("kind = \"crash\"") && written.contains("at_ms = 8000"), "{written}");

    let output = Command::new(env!("CARGO_BIN_EXE_kafkasim"))
        .arg("run")
        .arg(&path)
        .arg("--json")
        .arg("--out")
        .arg(reports.join("replay"))
        .output()
        .expect("kafkasim runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(json["trace_sha256"].as_str(), Some(hash.as_str()));
}
