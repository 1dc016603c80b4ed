//! `kafka-consumer-groups.sh --describe --group G` as Apache Kafka prints it
//! (`ConsumerGroupCommand`): a header, then one row per partition with the committed offset, the
//! log end offset (the high watermark, as the tool reads it with ListOffsets), the lag, and the
//! owning member. Every line starts with a newline; a missing value prints `-`.
//!
//! Everything comes from the history up to a given time, so a lab can show the view at any
//! checkpoint and a saved trace shows the same as the live run did.

use crate::history::{Event, GroupMemberAssignment, History};
use crate::protocol::types::*;
use std::collections::{BTreeMap, BTreeSet};

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRow {
    pub tp: TopicPartition,
    pub committed: Option<Offset>,
    pub log_end_offset: Option<Offset>,
    pub member: Option<(String, String, String)>,
}

impl GroupRow {
    pub fn lag(&self) -> Option<Offset> {
        Some((self.log_end_offset? - self.committed?).max(0))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupDescription {
    pub group: String,
    pub rows: Vec<GroupRow>,
    pub rebalancing: bool,
    pub has_members: bool,
}

/// The groups that subscribe, by name.
pub fn group_names(history: &History) -> Vec<String> {
    let names: BTreeSet<String> = history.meta.consumers.iter().filter_map(|c| c.group.clone()).collect();
    names.into_iter().collect()
}

/// The state of `group` as of `at_ms`.
pub fn describe_group_at(history: &History, group: &str, at_ms: SimTime) -> GroupDescription {
    let members_of_group: BTreeSet<NodeId> =
        history.meta.consumers.iter().filter(|c| c.group.as_deref() == Some(group)).map(|c| c.node).collect();
    let mut stable: Option<&Vec<GroupMemberAssignment>> = None;
    let mut rebalancing = false;
    let mut committed: BTreeMap<TopicPartition, Offset> = BTreeMap::new();
    let mut high_watermarks: BTreeMap<TopicPartition, Offset> = BTreeMap::new();
    for entry in history.entries.iter().take_while(|e| e.time_ms <= at_ms) {
        match &entry.event {
            Event::GroupStable { group: g, members, .. } if g == group => {
                stable = Some(members);
                rebalancing = false;
            }
            Event::GroupRebalancing { group: g, .. } if g == group => rebalancing = true,
            Event::OffsetsCommitted { offsets, .. } if members_of_group.contains(&entry.node) => {
                for (tp, offset) in offsets {
                    committed.insert(tp.clone(), *offset);
                }
            }
            Event::HighWatermark { tp, high_watermark, is_leader: true } => {
                high_watermarks.insert(tp.clone(), *high_watermark);
            }
            _ => {}
        }
    }
    let mut owners: BTreeMap<TopicPartition, (String, String, String)> = BTreeMap::new();
    if let (Some(members), false) = (stable, rebalancing) {
        for m in members {
            let host = format!("/{}", history.node_name(m.node));
            for tp in &m.partitions {
                owners.insert(tp.clone(), (m.member_id.clone(), host.clone(), m.client_id.clone()));
            }
        }
    }
    let partitions: BTreeSet<TopicPartition> = owners.keys().chain(committed.keys()).cloned().collect();
    let rows = partitions
        .into_iter()
        .map(|tp| GroupRow {
            committed: committed.get(&tp).copied(),
            log_end_offset: Some(high_watermarks.get(&tp).copied().unwrap_or(0)),
            member: owners.get(&tp).cloned(),
            tp,
        })
        .collect();
    let has_members = stable.is_some_and(|m| !m.is_empty());
    GroupDescription { group: group.to_string(), rows, rebalancing, has_members }
}

/// The tool's output for one group.
pub fn render_group(description: &GroupDescription) -> String {
    const MISSING: &str = "-";
    let group = &description.group;
    let mut out = String::new();
    if description.rebalancing {
        out.push_str(&format!("Warning: Consumer group '{group}' is rebalancing.\n"));
    } else if !description.has_members {
        out.push_str(&format!("Consumer group '{group}' has no active members.\n"));
    }
    let text = |o: Option<Offset>| o.map_or(MISSING.to_string(), |v| v.to_string());
    let rows: Vec<[String; 9]> = description
        .rows
        .iter()
        .map(|r| {
            let (id, host, client) = r.member.clone().unwrap_or((MISSING.into(), MISSING.into(), MISSING.into()));
            [
                group.clone(),
                r.tp.topic.to_string(),
                r.tp.partition.to_string(),
                text(r.committed),
                text(r.log_end_offset),
                text(r.lag()),
                id,
                host,
                client,
            ]
        })
        .collect();
    let width = |column: usize, header: &str| {
        rows.iter().map(|r| r[column].len()).chain([15, header.len()]).max().unwrap_or(15)
    };
    let (g, t, c, h) = (width(0, "GROUP"), width(1, "TOPIC"), width(6, "CONSUMER-ID"), width(7, "HOST"));
    let line = |cells: [&str; 9]| {
        format!(
            "\n{:<g$} {:<t$} {:<10} {:<15} {:<15} {:<15} {:<c$} {:<h$} {}",
            cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7], cells[8]
        )
    };
    out.push_str(&line([
        "GROUP",
        "TOPIC",
        "PARTITION",
        "CURRENT-OFFSET",
        "LOG-END-OFFSET",
        "LAG",
        "CONSUMER-ID",
        "HOST",
        "CLIENT-ID",
    ]));
    for r in &rows {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6], &r[7], &r[8]]));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{ClientMeta, Entry};

    fn history() -> History {
        let mut h = History::default();
        h.meta.nodes = vec![(NodeId::Client(1), "analytics-1".into())];
        h.meta.consumers = vec![ClientMeta {
            node: NodeId::Client(1),
            name: "analytics-1".into(),
            summary: String::new(),
            group: Some("analytics".into()),
            read_committed: false,
        }];
        let tp0 = TopicPartition::new("orders", 0);
        let tp1 = TopicPartition::new("orders", 1);
        let entry = |time_ms, node, event| Entry { time_ms, node, event };
        h.entries = vec![
            entry(1, NodeId::broker(1), Event::HighWatermark { tp: tp0.clone(), high_watermark: 120, is_leader: true }),
            entry(1, NodeId::broker(2), Event::HighWatermark { tp: tp1.clone(), high_watermark: 80, is_leader: true }),
            entry(
                2,
                NodeId::broker(1),
                Event::GroupStable {
                    group: "analytics".into(),
                    generation_id: 1,
                    protocol: Some("range".into()),
                    members: vec![GroupMemberAssignment {
                        member_id: "consumer-analytics-1-5f1a".into(),
                        client_id: "consumer-analytics-1".into(),
                        node: NodeId::Client(1),
                        partitions: vec![tp0.clone(), tp1.clone()],
                    }],
                },
            ),
            entry(
                3,
                NodeId::Client(1),
                Event::OffsetsCommitted { offsets: vec![(tp0.clone(), 100)], generation_id: 1 },
            ),
        ];
        h
    }

    #[test]
    fn golden_describe_group_matches_kafka_format() {
        let text = render_group(&describe_group_at(&history(), "analytics", 10));
        let expected = "\n\
GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID               HOST            CLIENT-ID\n\
analytics       orders          0          100             120             20              consumer-analytics-1-5f1a /analytics-1    consumer-analytics-1\n\
analytics       orders          1          -               80              -               consumer-analytics-1-5f1a /analytics-1    consumer-analytics-1\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn before_the_first_rebalance_there_are_no_members_and_no_rows() {
        let d = describe_group_at(&history(), "analytics", 1);
        assert!(!d.has_members && d.rows.is_empty());
        assert!(render_group(&d).starts_with("Consumer group 'analytics' has no active members.\n"));
    }
}
