//! Replica placement for new topics: Kafka's rack-unaware assignment
//! (`AdminUtils.assignReplicasToBrokersRackUnaware`, still what `kafka-topics --create` yields on
//! a rack-less cluster in spirit), with a fixed start index of 0 instead of a random one so that
//! lessons can say "broker-1 leads partition 0".
//!
//! Partition p's first replica is broker `p mod n`; each further replica is shifted by
//! `1 + (shift + j) mod (n - 1)`, where the shift grows by one every n partitions, which spreads
//! followers as well as leaders.

use crate::protocol::types::BrokerId;

/// Replica lists for `partitions` partitions over `brokers` (sorted ids), `replication_factor`
/// each. Requires `1 <= replication_factor <= brokers.len()` (validated with the scenario).
pub fn assign_replicas(brokers: &[BrokerId], partitions: i32, replication_factor: i32) -> Vec<Vec<BrokerId>> {
    let n = brokers.len();
    let rf = replication_factor as usize;
    assert!(rf >= 1 && rf <= n, "replication factor {rf} must be within 1..={n}");
    let mut next_replica_shift = 0usize;
    (0..partitions as usize)
        .map(|partition| {
            if partition > 0 && partition % n == 0 {
                next_replica_shift += 1;
            }
            let first = partition % n;
            let mut replicas = vec![brokers[first]];
            for j in 0..rf - 1 {
                let shift = 1 + (next_replica_shift + j) % (n - 1);
                replicas.push(brokers[(first + shift) % n]);
            }
            replicas
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[Vec<BrokerId>]) -> Vec<Vec<u32>> {
        v.iter().map(|r| r.iter().map(|b| b.0).collect()).collect()
    }

    #[test]
    fn three_brokers_rf3_spreads_leaders_and_followers() {
        let brokers = [BrokerId(1), BrokerId(2), BrokerId(3)];
        assert_eq!(
            ids(&assign_replicas(&brokers, 4, 3)),
            vec![vec![1, 2, 3], vec![2, 3, 1], vec![3, 1, 2], vec![1, 3, 2]]
        );
    }

    #[test]
    fn rf1_and_single_broker() {
        assert_eq!(ids(&assign_replicas(&[BrokerId(1)], 2, 1)), vec![vec![1], vec![1]]);
        let brokers = [BrokerId(1), BrokerId(2)];
        assert_eq!(ids(&assign_replicas(&brokers, 3, 1)), vec![vec![1], vec![2], vec![1]]);
    }
}
