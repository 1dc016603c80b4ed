//! What a lab's checkpoints may refer to — the topics, partitions, brokers, groups, producers and
//! alert rules of its scenario — so that a typo in a checkpoint is a parse error with a position,
//! not a checkpoint that silently never fires.

use crate::protocol::types::{BrokerId, TopicPartition};
use crate::scenario::Scenario;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct LabNames {
    pub topics: BTreeMap<String, i32>,
    pub brokers: u32,
    pub groups: Vec<String>,
    pub producers: Vec<String>,
    pub alerts: Vec<String>,
}

impl LabNames {
    pub fn of(scenario: &Scenario) -> LabNames {
        LabNames {
            topics: scenario.topics.iter().map(|t| (t.name.to_string(), t.partitions)).collect(),
            brokers: scenario.brokers,
            groups: scenario.consumer_groups.iter().map(|g| g.group.clone()).collect(),
            producers: scenario.producers.iter().map(|p| p.name.clone()).collect(),
            alerts: Vec::new(),
        }
    }

    /// `orders-0`: a partition of a topic of the scenario.
    pub fn partition(&self, text: &str) -> Result<TopicPartition, String> {
        let bad = || {
            let known: Vec<String> = self.topics.iter().map(|(t, n)| format!("{t}-0..{t}-{}", n - 1)).collect();
            format!("`{text}` is not a partition of this lab's topics (expected TOPIC-N: {})", known.join(", "))
        };
        let (topic, partition) = text.rsplit_once('-').ok_or_else(bad)?;
        let partition: i32 = partition.parse().map_err(|_| bad())?;
        let count = *self.topics.get(topic).ok_or_else(bad)?;
        if !(0..count).contains(&partition) {
            return Err(bad());
        }
        Ok(TopicPartition::new(topic, partition))
    }

    pub fn topic(&self, text: &str) -> Result<String, String> {
        if self.topics.contains_key(text) {
            Ok(text.to_string())
        } else {
            let known: Vec<&String> = self.topics.keys().collect();
            Err(format!("`{text}` is not a topic of this lab (topics: {known:?})"))
        }
    }

    /// `broker-2` (or just `2`).
    pub fn broker(&self, text: &str) -> Result<BrokerId, String> {
        let id: u32 = text
            .strip_prefix("broker-")
            .unwrap_or(text)
            .parse()
            .map_err(|_| format!("`{text}` is not a broker (expected broker-N)"))?;
        if !(1..=self.brokers).contains(&id) {
            return Err(format!("`{text}`: the cluster has brokers broker-1..broker-{}", self.brokers));
        }
        Ok(BrokerId(id))
    }

    pub fn group(&self, text: &str) -> Result<String, String> {
        one_of(text, &self.groups, "consumer group")
    }

    pub fn producer(&self, text: &str) -> Result<String, String> {
        one_of(text, &self.producers, "producer")
    }

    pub fn alert(&self, text: &str) -> Result<String, String> {
        one_of(text, &self.alerts, "alert rule")
    }
}

fn one_of(text: &str, known: &[String], what: &str) -> Result<String, String> {
    if known.iter().any(|k| k == text) {
        Ok(text.to_string())
    } else {
        Err(format!("`{text}` is not a {what} of this lab (known: {known:?})"))
    }
}
