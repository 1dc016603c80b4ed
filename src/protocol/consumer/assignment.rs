//! The group leader's assignment step (`ConsumerCoordinator.onLeaderElected`): run the assignor
//! the group chose over every member's subscription.
//!
//! Until the exact assignors land (`protocol::group::assignor`), every strategy is served by a
//! range assignment, computed as Kafka's RangeAssignor does for members ordered by member id.

use crate::protocol::message::JoinGroupMember;
use crate::protocol::types::*;
use std::collections::BTreeMap;

/// The rebalance protocol a consumer uses: cooperative only if every configured assignor
/// supports it (`ConsumerCoordinator`'s protocol selection, KIP-429).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RebalanceProtocol {
    Eager,
    Cooperative,
}

pub fn rebalance_protocol(strategies: &[String]) -> RebalanceProtocol {
    if !strategies.is_empty() && strategies.iter().all(|s| s == "cooperative-sticky") {
        RebalanceProtocol::Cooperative
    } else {
        RebalanceProtocol::Eager
    }
}

/// The assignment `strategy` produces for `members`, given each topic's partition count.
pub fn assign(
    _strategy: &str,
    members: &[JoinGroupMember],
    partition_counts: &BTreeMap<TopicName, i32>,
) -> Vec<(String, Vec<TopicPartition>)> {
    let mut assignment: BTreeMap<String, Vec<TopicPartition>> =
        members.iter().map(|m| (m.member_id.clone(), Vec::new())).collect();
    for (topic, count) in partition_counts {
        let mut subscribers: Vec<&str> =
            members.iter().filter(|m| m.subscription.topics.contains(topic)).map(|m| m.member_id.as_str()).collect();
        subscribers.sort();
        if subscribers.is_empty() {
            continue;
        }
        let per_member = *count as usize / subscribers.len();
        let extra = *count as usize % subscribers.len();
        let mut next = 0;
        for (i, member) in subscribers.iter().enumerate() {
            let n = per_member + usize::from(i < extra);
            for p in next..next + n {
                assignment.get_mut(*member).expect("member").push(TopicPartition::new(topic.clone(), p as i32));
            }
            next += n;
        }
    }
    assignment.into_iter().collect()
}
