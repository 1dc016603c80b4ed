//! The order in which `RangeAssignor` and `RoundRobinAssignor` line members up: Kafka's
//! `AbstractPartitionAssignor.MemberInfo.compareTo` (KIP-345).
//!
//! Static members (with a `group.instance.id`) come first, ordered by instance id, so that a
//! static member keeps its place across restarts even though the coordinator hands it a new
//! `member.id`; dynamic members follow, ordered by member id. Both comparisons are Java's
//! `String.compareTo`.

use super::java_hash::java_string_cmp;
use std::cmp::Ordering;

#[derive(Clone, Copy, Debug)]
pub(crate) struct MemberInfo<'a> {
    pub member_id: &'a str,
    pub group_instance_id: Option<&'a str>,
}

impl MemberInfo<'_> {
    pub(crate) fn kafka_cmp(&self, other: &MemberInfo<'_>) -> Ordering {
        match (self.group_instance_id, other.group_instance_id) {
            (Some(mine), Some(theirs)) => java_string_cmp(mine, theirs),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => java_string_cmp(self.member_id, other.member_id),
        }
    }
}

/// `Collections.sort(members)`: a stable sort, so members Kafka considers equal (two static
/// members claiming the same instance id) keep the order they arrived in.
pub(crate) fn sort_members(members: &mut [MemberInfo<'_>]) {
    members.sort_by(|a, b| a.kafka_cmp(b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_members_first_by_instance_id_then_dynamic_by_member_id() {
        let mut members = vec![
            MemberInfo { member_id: "consumer-a", group_instance_id: None },
            MemberInfo { member_id: "consumer-c", group_instance_id: Some("instance2") },
            MemberInfo { member_id: "consumer-0", group_instance_id: None },
            MemberInfo { member_id: "consumer-b", group_instance_id: Some("instance1") },
        ];
        sort_members(&mut members);
        let ids: Vec<&str> = members.iter().map(|m| m.member_id).collect();
        assert_eq!(ids, ["consumer-b", "consumer-c", "consumer-0", "consumer-a"]);
    }
}
