//! `kafka-topics.sh --describe` as Apache Kafka 4.x prints it (`TopicCommand`): a TAB-separated
//! topic line, then one line per partition starting with a TAB, with the ELR columns of KIP-966
//! (empty: ELR is off).

use crate::history::{PartitionSnapshot, TopicMeta};
use crate::protocol::types::BrokerId;
use sha2::{Digest, Sha256};

fn join(brokers: &[BrokerId]) -> String {
    brokers.iter().map(|b| b.0.to_string()).collect::<Vec<_>>().join(",")
}

/// A topic id as Kafka prints it (a UUID in URL-safe base64 without padding). Kafka's is random;
/// ours derives from the name so that runs stay reproducible.
pub fn topic_id(name: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let digest = Sha256::digest(name.as_bytes());
    let bytes = &digest[..16];
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |acc, b| (acc << 8) | *b as u32) << (8 * (3 - chunk.len()));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// The describe output for `topics`, partitions taken from `partitions`.
pub fn describe_topics(topics: &[TopicMeta], partitions: &[PartitionSnapshot]) -> String {
    let mut out = String::new();
    for topic in topics {
        let configs: Vec<String> = topic.configs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.push_str(&format!(
            "Topic: {}\tTopicId: {}\tPartitionCount: {}\tReplicationFactor: {}\tConfigs: {}\n",
            topic.name,
            topic_id(&topic.name),
            topic.partitions,
            topic.replication_factor,
            configs.join(",")
        ));
        let mut rows: Vec<&PartitionSnapshot> = partitions.iter().filter(|p| p.tp.topic == topic.name).collect();
        rows.sort_by_key(|p| p.tp.partition);
        for p in rows {
            out.push_str(&format!(
                "\tTopic: {}\tPartition: {}\tLeader: {}\tReplicas: {}\tIsr: {}\tElr: \tLastKnownElr: \n",
                topic.name,
                p.tp.partition,
                p.leader.map_or("none".to_string(), |l| l.0.to_string()),
                join(&p.replicas),
                join(&p.isr)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::types::TopicPartition;

    #[test]
    fn golden_describe_matches_kafka_format() {
        let topics = vec![TopicMeta {
            name: "orders".into(),
            partitions: 2,
            replication_factor: 3,
            configs: vec![("min.insync.replicas".into(), "2".into())],
        }];
        let b = |ids: &[u32]| ids.iter().map(|i| BrokerId(*i)).collect::<Vec<_>>();
        let partitions = vec![
            PartitionSnapshot {
                tp: TopicPartition::new("orders", 1),
                replicas: b(&[2, 3, 1]),
                leader: None,
                leader_epoch: 3,
                isr: b(&[2]),
            },
            PartitionSnapshot {
                tp: TopicPartition::new("orders", 0),
                replicas: b(&[1, 2, 3]),
                leader: Some(BrokerId(1)),
                leader_epoch: 0,
                isr: b(&[1, 3]),
            },
        ];
        let expected = format!(
            "Topic: orders\tTopicId: {}\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: min.insync.replicas=2\n\
             \tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,3\tElr: \tLastKnownElr: \n\
             \tTopic: orders\tPartition: 1\tLeader: none\tReplicas: 2,3,1\tIsr: 2\tElr: \tLastKnownElr: \n",
            topic_id("orders")
        );
        assert_eq!(describe_topics(&topics, &partitions), expected);
    }

    #[test]
    fn topic_ids_look_like_kafkas() {
        let id = topic_id("orders");
        assert_eq!(id.len(), 22);
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(id, topic_id("payments"));
    }
}
