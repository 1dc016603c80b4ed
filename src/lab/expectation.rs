//! The expected state at a checkpoint, one assertion a line, as a learner would say it:
//! `isr orders-0 = [1,3]`, `lag analytics < 100`, `check lost-write = some`,
//! `unowned-ms cooperative < unowned-ms range`. The left side is a subject read from the run as of
//! the checkpoint's time (or from the whole run, for checks and producer metrics); the right side
//! is a literal or another subject, so a lab can compare two configurations of one run without
//! writing any number the simulator produced into the lab.

use super::cluster_at::ClusterAt;
use super::consumer_metrics::CONSUMER_METRICS;
use super::evidence::Evidence;
use super::names::LabNames;
use crate::check::names::is_known_check;
use crate::protocol::types::*;
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    Isr(TopicPartition),
    Leader(TopicPartition),
    LeaderEpoch(TopicPartition),
    /// The leader's high watermark.
    HighWatermark(TopicPartition),
    ReplicaHighWatermark(TopicPartition, BrokerId),
    LogEndOffset(TopicPartition, BrokerId),
    /// Kafka's UnderReplicatedPartitions (internal topics included), or of one topic.
    UnderReplicated(Option<String>),
    Offline,
    Lag(String),
    Committed(String, TopicPartition),
    Sent,
    Acked,
    Failed,
    Errors(String),
    Records(TopicPartition),
    /// The busiest partition's records over the topic's mean (1.0 = perfectly even).
    Skew(String),
    LeaderChanges(TopicPartition),
    UncleanElections,
    TruncatedRecords,
    Rebalances(String),
    Revoked(String),
    /// Over the whole run: partition-milliseconds with no owner after first assignment.
    UnownedMs(String),
    /// Over the whole run: does the check find anything (`some`/`none`).
    Check(String),
    /// Over the whole run: how many findings.
    Findings(String),
    /// A producer's metric over the workload phase (`producer-metrics`).
    Metric(String, String),
    /// A consumer group's metric over the workload phase (`consumer-metrics`).
    ConsumerMetric(String, String),
    Alert(String),
}

pub const SUBJECT_FORMS: &str = "isr T-P | leader T-P | leader-epoch T-P | hw T-P [broker-N] | leo T-P broker-N | \
under-replicated [TOPIC] | offline | lag GROUP | committed GROUP T-P | sent | acked | failed | errors KAFKA_ERROR | \
records T-P | skew TOPIC | leader-changes T-P | unclean-elections | truncated-records | rebalances GROUP | \
revoked GROUP | unowned-ms GROUP | check NAME | findings NAME | metric PRODUCER METRIC | consumer-metric GROUP METRIC | alert NAME";

const METRICS: &[&str] = &[
    "record-send-rate",
    "request-latency-avg",
    "request-latency-p99",
    "request-latency-max",
    "record-queue-time-avg",
    "record-queue-time-max",
    "batch-size-avg",
    "compression-rate-avg",
    "record-retry-rate",
    "record-error-rate",
];

impl Subject {
    /// Parses a subject from its words; None when the first word names no subject.
    fn parse(words: &[&str], names: &LabNames) -> Result<Subject, String> {
        let tp = |i: usize| names.partition(words.get(i).copied().unwrap_or(""));
        let arity = |n: usize| -> Result<(), String> {
            if words.len() == n {
                Ok(())
            } else {
                Err(format!("`{}` takes {} argument(s)", words[0], n - 1))
            }
        };
        let head = words.first().copied().unwrap_or("");
        let subject = match head {
            "isr" => arity(2).and(tp(1).map(Subject::Isr))?,
            "leader" => arity(2).and(tp(1).map(Subject::Leader))?,
            "leader-epoch" => arity(2).and(tp(1).map(Subject::LeaderEpoch))?,
            "hw" if words.len() == 3 => Subject::ReplicaHighWatermark(tp(1)?, names.broker(words[2])?),
            "hw" => arity(2).and(tp(1).map(Subject::HighWatermark))?,
            "leo" => {
                arity(3)?;
                Subject::LogEndOffset(tp(1)?, names.broker(words[2])?)
            }
            "under-replicated" if words.len() == 2 => Subject::UnderReplicated(Some(names.topic(words[1])?)),
            "under-replicated" => arity(1).map(|_| Subject::UnderReplicated(None))?,
            "offline" => arity(1).map(|_| Subject::Offline)?,
            "lag" => arity(2).and(names.group(words[1]).map(Subject::Lag))?,
            "committed" => {
                arity(3)?;
                Subject::Committed(names.group(words[1])?, tp(2)?)
            }
            "sent" => arity(1).map(|_| Subject::Sent)?,
            "acked" => arity(1).map(|_| Subject::Acked)?,
            "failed" => arity(1).map(|_| Subject::Failed)?,
            "errors" => {
                arity(2)?;
                let name = words[1].to_ascii_uppercase();
                if !crate::protocol::errors::ErrorCode::ALL.iter().any(|e| e.name() == name) {
                    return Err(format!("`{}` is not a Kafka error name", words[1]));
                }
                Subject::Errors(name)
            }
            "records" => arity(2).and(tp(1).map(Subject::Records))?,
            "skew" => arity(2).and(names.topic(words[1]).map(Subject::Skew))?,
            "leader-changes" => arity(2).and(tp(1).map(Subject::LeaderChanges))?,
            "unclean-elections" => arity(1).map(|_| Subject::UncleanElections)?,
            "truncated-records" => arity(1).map(|_| Subject::TruncatedRecords)?,
            "rebalances" => arity(2).and(names.group(words[1]).map(Subject::Rebalances))?,
            "revoked" => arity(2).and(names.group(words[1]).map(Subject::Revoked))?,
            "unowned-ms" => arity(2).and(names.group(words[1]).map(Subject::UnownedMs))?,
            "check" | "findings" => {
                arity(2)?;
                if !is_known_check(words[1]) {
                    return Err(format!("`{}` is not a check name (see SCENARIO-FORMAT.md)", words[1]));
                }
                if head == "check" {
                    Subject::Check(words[1].to_string())
                } else {
                    Subject::Findings(words[1].to_string())
                }
            }
            "metric" => {
                arity(3)?;
                if !METRICS.contains(&words[2]) {
                    return Err(format!("`{}` is not a producer metric (one of {METRICS:?})", words[2]));
                }
                Subject::Metric(names.producer(words[1])?, words[2].to_string())
            }
            "consumer-metric" => {
                arity(3)?;
                if !CONSUMER_METRICS.contains(&words[2]) {
                    return Err(format!("`{}` is not a consumer metric (one of {CONSUMER_METRICS:?})", words[2]));
                }
                Subject::ConsumerMetric(names.group(words[1])?, words[2].to_string())
            }
            "alert" => arity(2).and(names.alert(words[1]).map(Subject::Alert))?,
            _ => return Err(format!("unknown subject `{}`; one of: {SUBJECT_FORMS}", words.join(" "))),
        };
        Ok(subject)
    }

    /// Whether the subject changes over the run (an alert rule samples it); checks, producer
    /// metrics and rebalance totals are judged over the whole run instead.
    pub fn is_time_series(&self) -> bool {
        !matches!(
            self,
            Subject::Isr(_)
                | Subject::Leader(_)
                | Subject::UnownedMs(_)
                | Subject::Check(_)
                | Subject::Findings(_)
                | Subject::Metric(..)
                | Subject::ConsumerMetric(..)
                | Subject::Alert(_)
        )
    }

    /// A numeric subject read from the cluster state alone (what an alert rule may use).
    pub fn number_at(&self, state: &ClusterAt) -> Option<f64> {
        Some(match self {
            Subject::UnderReplicated(topic) => state.under_replicated(topic.as_deref()) as f64,
            Subject::Offline => state.offline() as f64,
            Subject::Lag(group) => state.group_lag(group) as f64,
            Subject::Sent => state.sent as f64,
            Subject::Acked => state.acked as f64,
            Subject::Failed => state.failed as f64,
            Subject::Errors(name) => state.produce_errors.get(name.as_str()).copied().unwrap_or(0) as f64,
            Subject::UncleanElections => state.unclean_elections as f64,
            Subject::TruncatedRecords => state.truncated_records as f64,
            Subject::LeaderChanges(tp) => state.leader_changes.get(tp).copied().unwrap_or(0) as f64,
            Subject::Records(tp) => state.records.get(tp).copied().unwrap_or(0) as f64,
            Subject::Rebalances(g) => state.rebalances.get(g).copied().unwrap_or(0) as f64,
            Subject::Revoked(g) => state.revoked.get(g).copied().unwrap_or(0) as f64,
            Subject::HighWatermark(tp) => state.leader_high_watermark(tp)? as f64,
            Subject::ReplicaHighWatermark(tp, b) => state.replicas.get(&(tp.clone(), *b))?.high_watermark as f64,
            Subject::LogEndOffset(tp, b) => state.replicas.get(&(tp.clone(), *b))?.log_end_offset as f64,
            Subject::LeaderEpoch(tp) => state.partitions.get(tp)?.leader_epoch as f64,
            Subject::Committed(g, tp) => *state.committed.get(&(g.clone(), tp.clone()))? as f64,
            Subject::Skew(topic) => {
                let counts: Vec<u64> =
                    state.records.iter().filter(|(tp, _)| &*tp.topic == topic).map(|(_, n)| *n).collect();
                let partitions = state.partitions.keys().filter(|tp| &*tp.topic == topic).count().max(1);
                let total: u64 = counts.iter().sum();
                if total == 0 {
                    return None;
                }
                *counts.iter().max()? as f64 / (total as f64 / partitions as f64)
            }
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn parse(text: &str) -> Option<Op> {
        Some(match text {
            "=" | "==" => Op::Eq,
            "!=" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            _ => return None,
        })
    }

    pub fn holds_number(self, left: f64, right: f64) -> bool {
        match self {
            Op::Eq => (left - right).abs() < 1e-9,
            Op::Ne => (left - right).abs() >= 1e-9,
            Op::Lt => left < right,
            Op::Le => left <= right,
            Op::Gt => left > right,
            Op::Ge => left >= right,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// A value as read from the run or written in the lab.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(f64),
    /// Broker ids (an ISR), compared as sets.
    List(Vec<u32>),
    /// `none`, `some`, `firing`, `pending`, `inactive`.
    Word(String),
    /// The run has no such value at that time (no leader yet, no commit yet).
    Missing,
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(n) if n.fract() == 0.0 => write!(f, "{n:.0}"),
            Value::Number(n) => write!(f, "{n:.3}"),
            Value::List(l) => {
                let items: Vec<String> = l.iter().map(u32::to_string).collect();
                write!(f, "[{}]", items.join(","))
            }
            Value::Word(w) => f.write_str(w),
            Value::Missing => f.write_str("(no value)"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Right {
    Literal(Value),
    Subject(Subject),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    pub subject: Subject,
    pub op: Op,
    pub right: Right,
    pub text: String,
}

/// The outcome of one expectation at one checkpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub text: String,
    pub found: Value,
    pub expected: Value,
    pub ok: bool,
}

fn literal(text: &str) -> Option<Value> {
    let text = text.trim();
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        let items: Result<Vec<u32>, _> = inner
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.strip_prefix("broker-").unwrap_or(s).parse::<u32>())
            .collect();
        return items.ok().map(Value::List);
    }
    if let Ok(n) = text.parse::<f64>() {
        return n.is_finite().then_some(Value::Number(n));
    }
    match text {
        "none" | "some" | "firing" | "pending" | "inactive" => Some(Value::Word(text.to_string())),
        _ => None,
    }
}

impl Expectation {
    pub fn parse(text: &str, names: &LabNames) -> Result<Expectation, String> {
        // The operator is the first token that is one; lists may contain spaces, so split there.
        let tokens: Vec<&str> = text.split_whitespace().collect();
        let at = tokens.iter().position(|t| Op::parse(t).is_some()).ok_or_else(|| {
            format!("`{text}` has no comparison (=, !=, <, <=, >, >=): write e.g. `isr orders-0 = [1,3]`")
        })?;
        let op = Op::parse(tokens[at]).expect("found above");
        let subject = Subject::parse(&tokens[..at], names)?;
        let right_text = tokens[at + 1..].join(" ");
        if right_text.is_empty() {
            return Err(format!("`{text}` has nothing after `{}`", op.symbol()));
        }
        let right = match literal(&right_text) {
            Some(v) => Right::Literal(v),
            None => Right::Subject(
                Subject::parse(&tokens[at + 1..], names)
                    .map_err(|e| format!("the right side `{right_text}` is neither a value nor a subject: {e}"))?,
            ),
        };
        if matches!(right, Right::Literal(Value::List(_)) | Right::Literal(Value::Word(_)))
            && !matches!(op, Op::Eq | Op::Ne)
        {
            return Err(format!("`{text}`: lists and words compare only with = or !="));
        }
        Ok(Expectation { subject, op, right, text: text.to_string() })
    }

    pub fn evaluate(&self, evidence: &Evidence, state: &ClusterAt) -> Verdict {
        let found = evidence.value(&self.subject, state);
        let expected = match &self.right {
            Right::Literal(v) => v.clone(),
            Right::Subject(s) => evidence.value(s, state),
        };
        let ok = match (&found, &expected) {
            (Value::Number(a), Value::Number(b)) => self.op.holds_number(*a, *b),
            (Value::List(a), Value::List(b)) => {
                let (mut a, mut b) = (a.clone(), b.clone());
                a.sort_unstable();
                b.sort_unstable();
                (a == b) == (self.op == Op::Eq)
            }
            (Value::Word(a), Value::Word(b)) => (a == b) == (self.op == Op::Eq),
            // "leader orders-0 = none" when there is no leader.
            (Value::Missing, Value::Word(w)) => (w == "none") == (self.op == Op::Eq),
            _ => false,
        };
        Verdict { text: self.text.clone(), found, expected, ok }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> LabNames {
        LabNames {
            topics: [("orders".to_string(), 3)].into_iter().collect(),
            brokers: 3,
            groups: vec!["analytics".into()],
            producers: vec!["p1".into()],
            alerts: Vec::new(),
        }
    }

    #[test]
    fn expectations_parse_with_literals_and_subjects_on_the_right() {
        let e = Expectation::parse("isr orders-0 = [1, 3]", &names()).unwrap();
        assert_eq!(e.subject, Subject::Isr(TopicPartition::new("orders", 0)));
        assert_eq!(e.right, Right::Literal(Value::List(vec![1, 3])));
        let e = Expectation::parse("leo orders-2 broker-3 < leo orders-2 broker-1", &names()).unwrap();
        assert_eq!(e.op, Op::Lt);
        assert_eq!(e.right, Right::Subject(Subject::LogEndOffset(TopicPartition::new("orders", 2), BrokerId(1))));
        let e = Expectation::parse("check lost-write = some", &names()).unwrap();
        assert_eq!(e.right, Right::Literal(Value::Word("some".into())));
    }

    #[test]
    fn bad_expectations_say_what_is_wrong() {
        let error = |text: &str| Expectation::parse(text, &names()).unwrap_err();
        assert!(error("isr orders-0 [1,3]").contains("no comparison"));
        assert!(error("isr orders-3 = [1]").contains("not a partition"));
        assert!(error("lag nobody > 3").contains("not a consumer group"));
        assert!(error("isr orders-0 < [1]").contains("only with = or !="));
        assert!(error("check lost-writes = none").contains("not a check name"));
        assert!(error("temperature > 3").contains("unknown subject"));
    }

    #[test]
    fn isr_lists_compare_as_sets_and_a_missing_leader_is_none() {
        let evidence_history = crate::history::History::default();
        let evidence = Evidence::new(&evidence_history, &[], &[], 1000);
        let tp = TopicPartition::new("orders", 0);
        let mut state = ClusterAt::default();
        state.partitions.insert(
            tp.clone(),
            crate::history::PartitionSnapshot {
                tp,
                replicas: vec![BrokerId(1), BrokerId(2), BrokerId(3)],
                leader: None,
                leader_epoch: 2,
                isr: vec![BrokerId(3), BrokerId(1)],
            },
        );
        let holds = |text: &str| Expectation::parse(text, &names()).unwrap().evaluate(&evidence, &state).ok;
        assert!(holds("isr orders-0 = [1,3]"));
        assert!(!holds("isr orders-0 = [1,2,3]"));
        assert!(holds("leader orders-0 = none"));
        assert!(holds("leader-epoch orders-0 >= 2"));
        assert!(holds("under-replicated orders = 1"));
    }
}
