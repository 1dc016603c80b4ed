//! The report directory of `kafkasim run --out DIR` and `kafkasim plot`: a self-contained
//! report.html and summary.md beside the plots, user strings escaped, nothing written outside
//! the directory, the message diagram on request without changing the trace, and clear errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kafkasim(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kafkasim")).args(args).current_dir(cwd).output().expect("kafkasim runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kafkasim-report-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A short run with a crash, a consumer group and a user-supplied name full of markup.
fn scenario(name: &str) -> String {
    format!(
        r#"
name = "{name}"
description = "A <b>bold</b> & \"quoted\" description."
duration_ms = 4000
settle_ms = 3000
cluster = {{ brokers = 3 }}
topics = [{{ name = "orders", partitions = 2, replication_factor = 3 }}]
producers = [{{ name = "p<1>", topic = "orders", messages_per_sec = 50 }}]
consumer_groups = [
  {{ group = "g&g", topics = ["orders"], members = 1, config = {{ "auto.offset.reset" = "earliest" }} }},
]
faults = [{{ at_ms = 1000, kind = "crash", node = "broker-2" }}, {{ at_ms = 2500, kind = "restart", node = "broker-2" }}]
checks = [{{ name = "lost-write", expect = "none" }}]
"#
    )
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn trace_of(dir: &Path) -> String {
    let result: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("result.json")).unwrap()).unwrap();
    result["trace_sha256"].as_str().unwrap().to_string()
}

#[test]
fn run_writes_a_self_contained_escaped_report() {
    let dir = temp_dir("run");
    std::fs::write(dir.join("s.toml"), scenario("tiny <script>alert(1)</script>")).unwrap();
    let out = kafkasim(&["run", "s.toml", "--out", "out"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("report: out/report.html"), "{}", stdout(&out));
    let report = dir.join("out");
    for file in [
        "report.html",
        "summary.md",
        "result.json",
        "history.jsonl",
        "scenario.toml",
        "throughput.svg",
        "throughput.png",
        "isr.svg",
    ] {
        assert!(report.join(file).is_file(), "{file} is written");
    }
    assert!(!report.join("messages.svg").exists(), "no diagram unless asked for");
    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    for section in ["id=\"config\"", "id=\"faults\"", "id=\"checks\"", "id=\"plots\"", "id=\"state\""] {
        assert!(html.contains(section), "{section}");
    }
    // Self-contained: no script, no stylesheet or image fetched from anywhere.
    assert!(!html.contains("<script"), "user markup is escaped and the page has no script");
    assert!(!html.contains("<link") && !html.contains("src=\"http") && !html.contains("url(http"));
    assert!(html.contains("src=\"data:image/svg+xml;base64,"));
    // Escaped user strings.
    assert!(html.contains("tiny &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("A &lt;b&gt;bold&lt;/b&gt; &amp; \"quoted\" description."));
    assert!(html.contains("p&lt;1&gt;") && html.contains("g&amp;g"));
    assert!(html.contains("broker-2 crashed"));
    assert!(html.contains("kafkasim run s.toml --seed 1"));
    assert!(html.contains("kafka-topics.sh --bootstrap-server broker-1:9092 --describe"));
    let summary = std::fs::read_to_string(report.join("summary.md")).unwrap();
    assert!(summary.contains("| lost-write | none | none | 0 | ok |"), "{summary}");
    assert!(summary.contains("![Throughput"));
}

#[test]
fn a_scenario_name_that_leaves_reports_is_refused() {
    let dir = temp_dir("escape");
    std::fs::write(dir.join("s.toml"), scenario("../../escaped")).unwrap();
    let out = kafkasim(&["run", "s.toml"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--out"), "{}", stderr(&out));
    assert!(!dir.join("reports").exists() && !dir.parent().unwrap().join("escaped-1").exists());
}

#[test]
fn messages_are_drawn_on_request_without_changing_the_trace() {
    let dir = temp_dir("messages");
    std::fs::write(dir.join("s.toml"), scenario("tiny")).unwrap();
    let plain = kafkasim(&["run", "s.toml", "--out", "plain"], &dir);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    let out = kafkasim(
        &["run", "s.toml", "--out", "msgs", "--messages", "0.9s..1.2s", "--max-arrows", "5", "--timings"],
        &dir,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("the run's wall time"), "{}", stderr(&out));
    assert_eq!(trace_of(&dir.join("plain")), trace_of(&dir.join("msgs")));
    let svg = std::fs::read_to_string(dir.join("msgs/messages.svg")).unwrap();
    assert!(svg.contains("Showing the first 5 of"), "the limit is said");
    assert!(svg.contains(">down</text>"), "broker-2's crash is drawn");
    let html = std::fs::read_to_string(dir.join("msgs/report.html")).unwrap();
    assert!(html.contains("id=\"messages\""));
    // `plot` redraws another part of the recorded window, for chosen nodes.
    let out = kafkasim(
        &["plot", "msgs/history.jsonl", "--out", "again", "--messages", "1s..1.1s", "--message-nodes", "broker-1,p<1>"],
        &dir,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let svg = std::fs::read_to_string(dir.join("again/messages.svg")).unwrap();
    assert!(svg.contains("between broker-1, p&lt;1&gt;"), "{}", &svg[..400.min(svg.len())]);
    // A history without messages cannot draw them.
    let out = kafkasim(&["plot", "plain/history.jsonl", "--out", "x", "--messages", "1s..2s"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--messages"), "{}", stderr(&out));
    let out = kafkasim(&["run", "s.toml", "--out", "y", "--messages", "2s..1s"], &dir);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn plot_rebuilds_the_report_from_a_saved_history() {
    let dir = temp_dir("plot");
    std::fs::write(dir.join("s.toml"), scenario("tiny")).unwrap();
    let out = kafkasim(&["run", "s.toml", "--out", "run"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let first = std::fs::read_to_string(dir.join("run/report.html")).unwrap();
    std::fs::remove_file(dir.join("run/report.html")).unwrap();
    std::fs::remove_file(dir.join("run/isr.svg")).unwrap();
    let out = kafkasim(&["plot", "run/history.jsonl"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let again = std::fs::read_to_string(dir.join("run/report.html")).unwrap();
    assert!(dir.join("run/isr.svg").is_file());
    // The same checks, expectations (from scenario.toml beside it) and trace.
    let trace = trace_of(&dir.join("run"));
    assert!(first.contains(&trace) && again.contains(&trace));
    assert!(again.contains("every check met its expectation"));
    assert!(again.contains("A &lt;b&gt;bold&lt;/b&gt;"));
}

#[test]
fn plot_errors_name_the_file_line_and_column() {
    let dir = temp_dir("plot-errors");
    let out = kafkasim(&["plot", "missing.jsonl"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read missing.jsonl"), "{}", stderr(&out));
    std::fs::write(dir.join("bad.jsonl"), "{\"kind\":\"meta\",\"meta\":{}}\n{\"kind\": oops}\n").unwrap();
    let out = kafkasim(&["plot", "bad.jsonl"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.jsonl: line 2, column 10"), "{}", stderr(&out));
    assert!(!dir.join("report.html").exists());
}
