//! Test helpers: short constructors, and a plain-text case format shared by the golden tests.
//!
//! A case is a few lines; `run` ends the input and the expected result follows, one member a
//! line with its partitions in order, up to a line holding `.`:
//!
//! ```text
//! strategy cooperative-sticky
//! topic t0 3
//! member c1 gen=2 topics=t0 owned=t0:0,t0:1
//! member c2 inst=static-2 topics=t0 owned=
//! run
//! c1 t0:0
//! c2 t0:2
//! .
//! ```
//!
//! A Kafka failure is written `EXCEPTION <JavaExceptionClass>` instead of member lines.

use super::{Assignment, Assignor, Subscription};
use crate::protocol::types::{TopicName, TopicPartition};
use std::collections::BTreeMap;

pub(crate) fn tp(topic: &str, partition: i32) -> TopicPartition {
    TopicPartition::new(topic, partition)
}

/// `"t1-0, t1-2, t2-0"` (Kafka's test notation) to partitions.
pub(crate) fn partitions(text: &str) -> Vec<TopicPartition> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| TopicPartition::parse(s).unwrap_or_else(|| panic!("bad partition {s}")))
        .collect()
}

pub(crate) fn topics(counts: &[(&str, i32)]) -> BTreeMap<TopicName, i32> {
    counts.iter().map(|(topic, count)| (TopicName::from(*topic), *count)).collect()
}

pub(crate) fn group(members: Vec<(&str, Subscription)>) -> BTreeMap<String, Subscription> {
    members.into_iter().map(|(id, s)| (id.to_string(), s)).collect()
}

/// The assignment as the case format writes it.
pub(crate) fn render(assignment: &Assignment) -> String {
    let mut out = String::new();
    for (member, partitions) in assignment {
        out.push_str(member);
        for partition in partitions {
            out.push_str(&format!(" {}:{}", partition.topic, partition.partition));
        }
        out.push('\n');
    }
    out
}

pub(crate) struct Case {
    /// The line number of the case's `strategy` line, for failure messages.
    pub line: usize,
    pub assignor: Assignor,
    pub partitions_per_topic: BTreeMap<TopicName, i32>,
    pub subscriptions: BTreeMap<String, Subscription>,
    pub expected: String,
}

impl Case {
    /// Runs the assignor and renders the result like `expected`.
    pub(crate) fn actual(&self) -> String {
        match self.assignor.try_assign(&self.partitions_per_topic, &self.subscriptions) {
            Ok(assignment) => render(&assignment),
            Err(error) => format!("EXCEPTION {}\n", error.exception),
        }
    }
}

fn parse_partition(text: &str) -> TopicPartition {
    let (topic, partition) = text.rsplit_once(':').expect("topic:partition");
    tp(topic, partition.parse().expect("a partition number"))
}

pub(crate) fn parse_cases(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim()));
    let mut current: Option<Case> = None;
    while let Some((number, line)) = lines.next() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split(' ');
        match words.next().expect("a keyword") {
            "strategy" => {
                let name = words.next().expect("a strategy name");
                current = Some(Case {
                    line: number,
                    assignor: Assignor::from_kafka_name(name).expect("a known assignor"),
                    partitions_per_topic: BTreeMap::new(),
                    subscriptions: BTreeMap::new(),
                    expected: String::new(),
                });
            }
            "topic" => {
                let case = current.as_mut().expect("strategy first");
                let topic = words.next().expect("a topic");
                let count = words.next().expect("a count").parse().expect("a number");
                case.partitions_per_topic.insert(topic.into(), count);
            }
            "member" => {
                let case = current.as_mut().expect("strategy first");
                let id = words.next().expect("a member id");
                let mut subscription = Subscription::default();
                for field in words {
                    let (key, value) = field.split_once('=').expect("key=value");
                    let list = || value.split(',').filter(|s| !s.is_empty());
                    match key {
                        "gen" => subscription.generation = Some(value.parse().expect("a generation")),
                        "inst" => subscription.group_instance_id = Some(value.to_string()),
                        "topics" => subscription.topics = list().map(TopicName::from).collect(),
                        "owned" => subscription.owned_partitions = list().map(parse_partition).collect(),
                        other => panic!("line {number}: unknown member field {other}"),
                    }
                }
                case.subscriptions.insert(id.to_string(), subscription);
            }
            "run" => {
                let mut case = current.take().expect("strategy first");
                for (_, expected) in lines.by_ref() {
                    if expected == "." {
                        break;
                    }
                    case.expected.push_str(expected);
                    case.expected.push('\n');
                }
                cases.push(case);
            }
            other => panic!("line {number}: unknown keyword {other}"),
        }
    }
    cases
}

/// Runs every case of `text` and compares each result with the expected lines. With
/// `any_member_order`, member lines compare as a set (for ids whose Java `String` order, in
/// which Kafka's harness printed them, differs from Rust's `str` order).
pub(crate) fn check_cases(text: &str, any_member_order: bool) {
    let cases = parse_cases(text);
    assert!(!cases.is_empty(), "no case in the text");
    let normalize = |text: &str| {
        let mut lines: Vec<&str> = text.lines().collect();
        if any_member_order {
            lines.sort_unstable();
        }
        lines.join("\n")
    };
    let mut failures = Vec::new();
    for case in &cases {
        let actual = case.actual();
        if normalize(&actual) != normalize(&case.expected) {
            failures.push(format!(
                "case at line {} ({}):\nexpected:\n{}actual:\n{}",
                case.line, case.assignor, case.expected, actual
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// `check_cases` with exact member order: the ported Kafka tests use ASCII member ids.
pub(crate) fn check(text: &str) {
    check_cases(text, false);
}
