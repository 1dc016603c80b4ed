//! `kafkasim assign --strategy S --input FILE.json`: what a Kafka consumer group leader's
//! assignor makes of a group, as JSON (the library side; `main.rs` only reads the file).
//!
//! Input, as SCENARIO-FORMAT.md fixes it, with two optional member fields:
//!
//! ```json
//! {"topics": {"orders": 6},
//!  "members": [{"id": "m1", "topics": ["orders"], "owned": [["orders", 0]],
//!               "generation": 3, "group_instance_id": "checkout-1"}]}
//! ```
//!
//! `topics` is the cluster metadata (partition count per topic); `owned` is what the member held
//! before this rebalance (for `sticky`, what its `userData` carries), `generation` the generation
//! of that assignment, `group_instance_id` makes it a static member. Members are listed in the
//! order the leader received them (JoinGroup order), which Kafka's leader uses to fill its member
//! `HashMap`. Output: `{"m1": [["orders", 0], ...], ...}`, members in sorted order, partitions in
//! the order the assignor lists them.
//!
//! Owned partitions of a topic missing from `topics` are allowed: that is a deleted topic, which
//! the assignors drop. Unknown fields are rejected, so a misspelt field cannot be silently ignored.

use crate::protocol::group::assignor::{AssignmentError, Assignor, Subscription};
use crate::protocol::types::{TopicName, TopicPartition};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// Why `kafkasim assign` cannot answer for this input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssignInputError {
    #[error("line {line}, column {column}: {message}")]
    Json { line: usize, column: usize, message: String },
    #[error("unknown assignment strategy '{strategy}': expected one of {}", valid_strategies())]
    UnknownStrategy { strategy: String },
    #[error("topic '{topic}' has {count} partitions: a partition count cannot be negative")]
    NegativePartitionCount { topic: String, count: i32 },
    #[error("member id '{member}' is listed more than once")]
    DuplicateMember { member: String },
    #[error("member '{member}' subscribes to topic '{topic}', which is not in \"topics\"")]
    UnknownTopic { member: String, topic: String },
    #[error("member '{member}' owns partition {partition} of topic '{topic}', which has {count} partitions")]
    OwnedPartitionOutOfRange { member: String, topic: String, partition: i32, count: i32 },
    /// The input is valid, and Kafka's Java assignor throws on it too.
    #[error("{strategy}: {error}")]
    Kafka { strategy: &'static str, error: AssignmentError },
}

fn valid_strategies() -> String {
    let names: Vec<String> = Assignor::ALL.iter().map(|a| format!("{} ({})", a.name(), a.class_name())).collect();
    names.join(", ")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignInput {
    topics: BTreeMap<String, i32>,
    members: Vec<MemberInput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberInput {
    id: String,
    topics: Vec<String>,
    #[serde(default)]
    owned: Vec<(String, i32)>,
    #[serde(default)]
    generation: Option<i32>,
    #[serde(default)]
    group_instance_id: Option<String>,
}

/// Runs the assignor named `strategy` (Kafka's protocol name or class name) on the group
/// described by the JSON `input`, and returns the assignment as JSON.
pub fn assign_json(strategy: &str, input: &str) -> Result<String, AssignInputError> {
    let assignor = Assignor::from_kafka_name(strategy)
        .ok_or_else(|| AssignInputError::UnknownStrategy { strategy: strategy.to_string() })?;
    let input: AssignInput = serde_json::from_str(input).map_err(json_error)?;
    let (partitions_per_topic, members) = validate(input)?;
    let assignment = assignor
        .try_assign_in_join_order(&partitions_per_topic, &members)
        .map_err(|error| AssignInputError::Kafka { strategy: assignor.name(), error })?;
    Ok(render(&assignment))
}

/// serde_json ends its messages with " at line L column C"; the error names them up front.
fn json_error(error: serde_json::Error) -> AssignInputError {
    let (line, column) = (error.line(), error.column());
    let text = error.to_string();
    let message = text.strip_suffix(&format!(" at line {line} column {column}")).unwrap_or(&text).to_string();
    AssignInputError::Json { line, column, message }
}

type Members = Vec<(String, Subscription)>;

fn validate(input: AssignInput) -> Result<(BTreeMap<TopicName, i32>, Members), AssignInputError> {
    for (topic, count) in &input.topics {
        if *count < 0 {
            return Err(AssignInputError::NegativePartitionCount { topic: topic.clone(), count: *count });
        }
    }
    let mut seen = BTreeSet::new();
    let mut members = Vec::with_capacity(input.members.len());
    for member in input.members {
        if !seen.insert(member.id.clone()) {
            return Err(AssignInputError::DuplicateMember { member: member.id });
        }
        if let Some(topic) = member.topics.iter().find(|topic| !input.topics.contains_key(*topic)) {
            return Err(AssignInputError::UnknownTopic { member: member.id.clone(), topic: topic.clone() });
        }
        for (topic, partition) in &member.owned {
            if let Some(&count) = input.topics.get(topic) {
                if !(0..count).contains(partition) {
                    return Err(AssignInputError::OwnedPartitionOutOfRange {
                        member: member.id.clone(),
                        topic: topic.clone(),
                        partition: *partition,
                        count,
                    });
                }
            }
        }
        let subscription = Subscription {
            topics: member.topics.into_iter().map(TopicName::from).collect(),
            owned_partitions: member.owned.into_iter().map(|(topic, p)| TopicPartition::new(topic, p)).collect(),
            generation: member.generation,
            group_instance_id: member.group_instance_id,
            rack_id: None,
        };
        members.push((member.id, subscription));
    }
    let partitions_per_topic = input.topics.into_iter().map(|(topic, count)| (TopicName::from(topic), count)).collect();
    Ok((partitions_per_topic, members))
}

/// `{"m1": [["t", 0], ["t", 1]], "m2": []}`: the spacing SCENARIO-FORMAT.md shows.
fn render(assignment: &BTreeMap<String, Vec<TopicPartition>>) -> String {
    let quote = |text: &str| serde_json::to_string(text).expect("a string serializes");
    let members: Vec<String> = assignment
        .iter()
        .map(|(member, partitions)| {
            let partitions: Vec<String> =
                partitions.iter().map(|tp| format!("[{}, {}]", quote(&tp.topic), tp.partition)).collect();
            format!("{}: [{}]", quote(member), partitions.join(", "))
        })
        .collect();
    format!("{{{}}}", members.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(output: &str) -> BTreeMap<String, Vec<(String, i32)>> {
        serde_json::from_str(output).expect("the output is JSON")
    }

    #[test]
    fn assigns_the_documented_example() {
        let input = r#"{"topics": {"t": 6}, "members": [{"id": "m1", "topics": ["t"], "owned": [["t", 0]]}]}"#;
        assert_eq!(
            assign_json("range", input).unwrap(),
            r#"{"m1": [["t", 0], ["t", 1], ["t", 2], ["t", 3], ["t", 4], ["t", 5]]}"#
        );
    }

    #[test]
    fn cooperative_sticky_holds_back_a_partition_that_changes_owner() {
        let input = r#"{
            "topics": {"orders": 4},
            "members": [
                {"id": "c1", "topics": ["orders"], "owned": [["orders", 0], ["orders", 1], ["orders", 2], ["orders", 3]],
                 "generation": 5},
                {"id": "c2", "topics": ["orders"], "generation": 5}
            ]
        }"#;
        let cooperative = parse(&assign_json("cooperative-sticky", input).unwrap());
        assert_eq!(cooperative["c1"], vec![("orders".to_string(), 0), ("orders".to_string(), 1)]);
        assert_eq!(cooperative["c2"], vec![]);
        let eager = parse(&assign_json("org.apache.kafka.clients.consumer.StickyAssignor", input).unwrap());
        assert_eq!(eager["c2"], vec![("orders".to_string(), 2), ("orders".to_string(), 3)]);
    }

    #[test]
    fn members_come_out_sorted_with_static_members_placed_by_instance_id() {
        let input = r#"{"topics": {"a": 3, "b": 3}, "members": [
            {"id": "consumer-b", "topics": ["a", "b"], "group_instance_id": "instance1"},
            {"id": "consumer-a", "topics": ["a", "b"], "group_instance_id": "instance2"}]}"#;
        assert_eq!(
            assign_json("roundrobin", input).unwrap(),
            r#"{"consumer-a": [["a", 1], ["b", 0], ["b", 2]], "consumer-b": [["a", 0], ["a", 2], ["b", 1]]}"#
        );
    }

    #[test]
    fn owned_partitions_of_a_deleted_topic_are_allowed() {
        let input = r#"{"topics": {"t": 2}, "members": [{"id": "m", "topics": ["t"], "owned": [["gone", 7]]}]}"#;
        assert_eq!(assign_json("sticky", input).unwrap(), r#"{"m": [["t", 0], ["t", 1]]}"#);
    }

    #[test]
    fn names_are_escaped() {
        let input = r#"{"topics": {"t": 1}, "members": [{"id": "m\"1", "topics": ["t"]}]}"#;
        assert_eq!(assign_json("range", input).unwrap(), r#"{"m\"1": [["t", 0]]}"#);
    }

    #[test]
    fn bad_json_names_line_and_column() {
        let error = assign_json("range", "{\"topics\": {\"t\": 6},\n \"members\": [oops]}").unwrap_err();
        match &error {
            AssignInputError::Json { line, column, .. } => assert_eq!((*line, *column), (2, 14)),
            other => panic!("expected a JSON error, got {other:?}"),
        }
        assert_eq!(error.to_string(), "line 2, column 14: expected value");
    }

    #[test]
    fn unknown_fields_are_rejected_with_their_place() {
        let error =
            assign_json("range", r#"{"topics": {}, "members": [{"id": "m", "topics": [], "rack": "a"}]}"#).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("unknown field `rack`"), "{message}");
        assert!(message.starts_with("line 1, column"), "{message}");
        let error = assign_json("range", r#"{"topics": {}, "members": [], "extra": 1}"#).unwrap_err();
        assert!(error.to_string().contains("unknown field `extra`"), "{error}");
    }

    #[test]
    fn missing_and_mistyped_fields_are_json_errors() {
        for input in [
            r#"{"members": []}"#,
            r#"{"topics": {"t": "six"}, "members": []}"#,
            r#"{"topics": {}, "members": [{"topics": []}]}"#,
            r#"{"topics": {}, "members": [{"id": "m", "topics": [], "owned": [["t"]]}]}"#,
            "",
        ] {
            assert!(matches!(assign_json("range", input), Err(AssignInputError::Json { .. })), "{input}");
        }
    }

    #[test]
    fn unknown_strategy_lists_the_valid_names() {
        let error = assign_json("round-robin", r#"{"topics": {}, "members": []}"#).unwrap_err();
        assert_eq!(error, AssignInputError::UnknownStrategy { strategy: "round-robin".to_string() });
        let message = error.to_string();
        for assignor in Assignor::ALL {
            assert!(message.contains(assignor.name()), "{message}");
            assert!(message.contains(assignor.class_name()), "{message}");
        }
    }

    #[test]
    fn subscribing_to_a_topic_not_in_topics_is_an_error() {
        let error = assign_json("sticky", r#"{"topics": {"t": 1}, "members": [{"id": "m", "topics": ["t", "x"]}]}"#)
            .unwrap_err();
        assert_eq!(error, AssignInputError::UnknownTopic { member: "m".to_string(), topic: "x".to_string() });
        assert_eq!(error.to_string(), r#"member 'm' subscribes to topic 'x', which is not in "topics""#);
    }

    #[test]
    fn inconsistent_groups_are_errors() {
        let duplicate = r#"{"topics": {"t": 1}, "members": [{"id": "m", "topics": ["t"]}, {"id": "m", "topics": []}]}"#;
        assert_eq!(
            assign_json("range", duplicate).unwrap_err(),
            AssignInputError::DuplicateMember { member: "m".to_string() }
        );
        let out_of_range = r#"{"topics": {"t": 2}, "members": [{"id": "m", "topics": ["t"], "owned": [["t", 2]]}]}"#;
        assert!(matches!(
            assign_json("sticky", out_of_range),
            Err(AssignInputError::OwnedPartitionOutOfRange { partition: 2, count: 2, .. })
        ));
        let negative = r#"{"topics": {"t": -1}, "members": []}"#;
        assert!(matches!(
            assign_json("range", negative),
            Err(AssignInputError::NegativePartitionCount { count: -1, .. })
        ));
    }

    #[test]
    fn kafka_failures_are_errors_not_panics() {
        let error = assign_json("roundrobin", r#"{"topics": {"t": 1}, "members": []}"#).unwrap_err();
        assert!(error.to_string().contains("IllegalArgumentException"), "{error}");
        assert_eq!(assign_json("range", r#"{"topics": {"t": 1}, "members": []}"#).unwrap(), "{}");
        let npe = r#"{"topics": {"t1": 4, "t9": 2}, "members": [
            {"id": "A", "topics": ["t1"], "owned": [["t1", 0], ["t1", 1], ["t1", 2], ["t1", 3]], "generation": 2},
            {"id": "B", "topics": ["t1"], "generation": 2},
            {"id": "F", "topics": ["t9"], "owned": [["t1", 0]], "generation": 1}]}"#;
        let error = assign_json("sticky", npe).unwrap_err();
        assert!(matches!(
            error,
            AssignInputError::Kafka { error: AssignmentError { exception: "NullPointerException", .. }, .. }
        ));
    }

    #[test]
    fn never_panics_on_arbitrary_text() {
        for input in ["null", "[]", "{}", "{\"topics\": null}", "\u{0}", "{\"topics\": {\"t\": 99999999999}}", "]"] {
            for strategy in ["range", "sticky", "nope"] {
                let _ = assign_json(strategy, input);
            }
        }
    }
}
