//! `sticky`: Kafka's `org.apache.kafka.clients.consumer.StickyAssignor` (KIP-54; eager only).
//!
//! Runs the shared sticky algorithm (`sticky`) on what each member owned before the rebalance.
//! Under the eager protocol a member has revoked all its partitions before it rejoins, so its
//! `ownedPartitions` field is empty; the `StickyAssignor` instead serializes the member's last
//! assignment and generation into the subscription's `userData` (schema v1: a list of
//! `(topic, [partition])` plus `generation`; schema v0, before KIP-341, had no generation) and
//! reads them back here. A member without `userData` (a new member) owned nothing and has no
//! generation. [`Subscription::owned_partitions`] and [`Subscription::generation`] stand for that
//! `userData`.
//!
//! Not modelled: the byte encoding of `userData`, and so the fallback to the v0 schema and the
//! "cannot parse: owned nothing, generation -1" case.

use super::group_subscription::GroupSubscription;
use super::sticky::{self, MemberData};
use super::subscription::Subscription;
use super::{Assignment, AssignmentError};

/// `StickyAssignor.memberData`: always from `userData`.
pub(crate) fn member_data(subscription: &Subscription) -> MemberData {
    MemberData { partitions: subscription.owned_partitions.clone(), generation: subscription.generation_id() }
}

pub(crate) fn assign(group: &GroupSubscription<'_>) -> Result<Assignment, AssignmentError> {
    Ok(sticky::assign(group, member_data)?.assignment)
}
