//! How each producer's acknowledged records spread over the partitions of the topics it wrote:
//! the table that shows what a partitioner does (keys pinned by murmur2, sticky batches,
//! round-robin, custom rules, a hot key's partition).

use super::table::{render_table, Align};
use crate::history::{Event, History};
use crate::protocol::types::{TopicName, ValueId};
use std::collections::BTreeMap;

/// Topics with more partitions than this are summarised (min/max) rather than listed.
const LISTED_PARTITIONS_MAX: i32 = 12;

/// Per topic, per producer (in the order the scenario lists them), acknowledged records per partition.
pub fn acked_per_partition(history: &History) -> BTreeMap<TopicName, Vec<(String, Vec<u64>)>> {
    let mut counts: BTreeMap<TopicName, BTreeMap<u32, Vec<u64>>> = BTreeMap::new();
    let partitions: BTreeMap<&TopicName, i32> = history.meta.topics.iter().map(|t| (&t.name, t.partitions)).collect();
    for entry in &history.entries {
        if let Event::SendAcked { tp, value, .. } = &entry.event {
            let Some(&n) = partitions.get(&tp.topic) else { continue };
            let row = counts
                .entry(tp.topic.clone())
                .or_default()
                .entry(value.producer)
                .or_insert_with(|| vec![0; n.max(0) as usize]);
            if let Some(slot) = row.get_mut(tp.partition as usize) {
                *slot += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|(topic, rows)| {
            let rows = rows
                .into_iter()
                .map(|(producer, row)| (history.producer_name(ValueId { producer, sequence: 0 }), row))
                .collect();
            (topic, rows)
        })
        .collect()
}

/// The spread as text: one table per topic, a row per producer and a column per partition
/// (or min/max/total for topics with many partitions).
pub fn render_partition_spread(history: &History) -> String {
    let mut out = String::new();
    for (topic, rows) in acked_per_partition(history) {
        let partitions = rows.first().map_or(0, |(_, r)| r.len());
        out.push_str(&format!("acknowledged records per partition of {topic}:\n"));
        let mut table: Vec<Vec<String>> = Vec::new();
        if partitions as i32 <= LISTED_PARTITIONS_MAX {
            let mut header = vec!["PRODUCER".to_string()];
            header.extend((0..partitions).map(|p| p.to_string()));
            table.push(header);
            for (name, row) in &rows {
                let mut line = vec![name.clone()];
                line.extend(row.iter().map(|c| c.to_string()));
                table.push(line);
            }
        } else {
            table.push(["PRODUCER", "MIN", "MAX", "TOTAL"].map(String::from).to_vec());
            for (name, row) in &rows {
                let (min, max) = (row.iter().min().unwrap_or(&0), row.iter().max().unwrap_or(&0));
                table.push(vec![name.clone(), min.to_string(), max.to_string(), row.iter().sum::<u64>().to_string()]);
            }
        }
        out.push_str(&render_table(&table, Align::Right, "  "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{ClientMeta, Entry, TopicMeta};
    use crate::protocol::types::{NodeId, TopicPartition};

    fn acked(producer: u32, partition: i32) -> Entry {
        Entry {
            time_ms: 1,
            node: NodeId::Client(producer),
            event: Event::SendAcked {
                tp: TopicPartition::new("t", partition),
                value: ValueId { producer, sequence: 0 },
                offset: Some(0),
            },
        }
    }

    #[test]
    fn counts_each_producers_acknowledged_records_per_partition() {
        let mut history = History::default();
        history.meta.topics.push(TopicMeta {
            name: TopicName::from("t"),
            partitions: 3,
            replication_factor: 1,
            configs: Vec::new(),
        });
        for (index, name) in ["keyed", "sticky"].iter().enumerate() {
            history.meta.producers.push(ClientMeta {
                node: NodeId::Client(index as u32),
                name: name.to_string(),
                summary: String::new(),
                group: None,
                read_committed: false,
            });
        }
        history.entries.extend([acked(0, 2), acked(0, 2), acked(1, 0), acked(1, 1)]);
        let spread = acked_per_partition(&history);
        assert_eq!(
            spread[&TopicName::from("t")],
            vec![("keyed".into(), vec![0, 0, 2]), ("sticky".into(), vec![1, 1, 0])]
        );
        let text = render_partition_spread(&history);
        assert!(text.contains("PRODUCER 0 1 2"), "{text}");
        assert!(text.contains("   keyed 0 0 2"), "{text}");
    }
}
