//! The group leader's assignment step (`ConsumerCoordinator.onLeaderElected` /
//! `performAssignment`): run the assignor the group chose over every member's subscription,
//! with Kafka's exact assignors (`protocol::group::assignor`).

use crate::protocol::group::assignor::{self, Assignor, Subscription};
use crate::protocol::message::JoinGroupMember;
use crate::protocol::types::*;
use std::collections::BTreeMap;

pub use crate::protocol::group::assignor::RebalanceProtocol;

/// The rebalance protocol a consumer uses: the one every configured assignor supports,
/// preferring cooperative (`ConsumerCoordinator`'s protocol selection, KIP-429). Kafka's default
/// list [range, cooperative-sticky] is therefore eager.
pub fn rebalance_protocol(strategies: &[String]) -> RebalanceProtocol {
    let assignors: Vec<Assignor> = strategies.iter().filter_map(|s| Assignor::from_kafka_name(s)).collect();
    let all_cooperative = !assignors.is_empty()
        && assignors.iter().all(|a| a.supported_protocols().contains(&RebalanceProtocol::Cooperative));
    if all_cooperative {
        RebalanceProtocol::Cooperative
    } else {
        RebalanceProtocol::Eager
    }
}

/// The assignment `strategy` produces for `members` (in the order the coordinator listed them),
/// given each topic's partition count. A strategy Kafka would fail on gives everyone nothing.
pub fn assign(
    strategy: &str,
    members: &[JoinGroupMember],
    partition_counts: &BTreeMap<TopicName, i32>,
) -> Vec<(String, Vec<TopicPartition>)> {
    let Some(assignor) = Assignor::from_kafka_name(strategy) else {
        return members.iter().map(|m| (m.member_id.clone(), Vec::new())).collect();
    };
    let subscriptions: Vec<(String, Subscription)> = members
        .iter()
        .map(|m| {
            let mut subscription = Subscription::new(m.subscription.topics.clone())
                .with_owned_partitions(m.subscription.owned_partitions.clone());
            if m.subscription.generation_id >= 0 {
                subscription = subscription.with_generation(m.subscription.generation_id);
            }
            if let Some(instance) = &m.group_instance_id {
                subscription = subscription.with_group_instance_id(instance.clone());
            }
            (m.member_id.clone(), subscription)
        })
        .collect();
    let assigned: assignor::Assignment = assignor
        .try_assign_in_join_order(partition_counts, &subscriptions)
        .unwrap_or_else(|_| members.iter().map(|m| (m.member_id.clone(), Vec::new())).collect());
    assigned.into_iter().collect()
}
