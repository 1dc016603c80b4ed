//! What each consumer-group rebalance did, from the history: the generations, how many
//! partitions changed owner, and how long partitions had no owner at all — the cost that
//! cooperative rebalancing (KIP-429) and sticky assignors exist to cut.

use crate::history::{Event, History};
use crate::protocol::types::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rebalance {
    pub time_ms: SimTime,
    pub generation_id: i32,
    pub protocol: Option<String>,
    pub members: usize,
    /// Partitions whose owning process differs from the previous generation's.
    pub moved: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRebalances {
    pub group: String,
    pub rebalances: Vec<Rebalance>,
    /// Summed over partitions: time with no member owning them, after they were first owned.
    pub unowned_partition_ms: u64,
}

pub fn rebalances(history: &History) -> Vec<GroupRebalances> {
    let group_of: BTreeMap<NodeId, String> =
        history.meta.consumers.iter().filter_map(|c| c.group.clone().map(|g| (c.node, g))).collect();
    let mut groups: BTreeMap<String, GroupRebalances> = BTreeMap::new();
    let mut previous_owner: BTreeMap<(String, TopicPartition), NodeId> = BTreeMap::new();
    // Ownership as members see it: who believes they own each partition, and since when none has.
    let mut owners: BTreeMap<(String, TopicPartition), BTreeSet<NodeId>> = BTreeMap::new();
    let mut unowned_since: BTreeMap<(String, TopicPartition), SimTime> = BTreeMap::new();
    let mut total_unowned: BTreeMap<String, u64> = BTreeMap::new();
    for entry in &history.entries {
        match &entry.event {
            Event::GroupStable { group, generation_id, protocol, members } => {
                let mut moved = 0;
                for m in members {
                    for tp in &m.partitions {
                        let key = (group.clone(), tp.clone());
                        if previous_owner.insert(key, m.node).is_some_and(|before| before != m.node) {
                            moved += 1;
                        }
                    }
                }
                groups
                    .entry(group.clone())
                    .or_insert_with(|| GroupRebalances {
                        group: group.clone(),
                        rebalances: Vec::new(),
                        unowned_partition_ms: 0,
                    })
                    .rebalances
                    .push(Rebalance {
                        time_ms: entry.time_ms,
                        generation_id: *generation_id,
                        protocol: protocol.clone(),
                        members: members.len(),
                        moved,
                    });
            }
            Event::Assigned { partitions, .. } => {
                let Some(group) = group_of.get(&entry.node) else { continue };
                for tp in partitions {
                    let key = (group.clone(), tp.clone());
                    owners.entry(key.clone()).or_default().insert(entry.node);
                    if let Some(since) = unowned_since.remove(&key) {
                        *total_unowned.entry(group.clone()).or_default() += entry.time_ms - since;
                    }
                }
            }
            Event::Revoked { partitions, .. } => {
                let Some(group) = group_of.get(&entry.node) else { continue };
                for tp in partitions {
                    let key = (group.clone(), tp.clone());
                    let set = owners.entry(key.clone()).or_default();
                    set.remove(&entry.node);
                    if set.is_empty() {
                        unowned_since.insert(key, entry.time_ms);
                    }
                }
            }
            Event::Crashed { .. } => {
                let Some(group) = group_of.get(&entry.node) else { continue };
                for ((g, tp), set) in owners.iter_mut() {
                    if g == group && set.remove(&entry.node) && set.is_empty() {
                        unowned_since.insert((g.clone(), tp.clone()), entry.time_ms);
                    }
                }
            }
            _ => {}
        }
    }
    for ((group, _), since) in unowned_since {
        *total_unowned.entry(group).or_default() += history.meta.end_ms.saturating_sub(since);
    }
    for (group, ms) in total_unowned {
        if let Some(g) = groups.get_mut(&group) {
            g.unowned_partition_ms = ms;
        }
    }
    groups.into_values().collect()
}

pub fn render(summaries: &[GroupRebalances]) -> String {
    let mut out = String::new();
    for g in summaries {
        out.push_str(&format!(
            "group {}: {} rebalance(s), partitions unowned for {:.1} s in total\n",
            g.group,
            g.rebalances.len(),
            g.unowned_partition_ms as f64 / 1000.0
        ));
        for r in &g.rebalances {
            out.push_str(&format!(
                "  {:>8} ms  generation {:<3} {} member(s)  {} partition(s) moved  ({})\n",
                r.time_ms,
                r.generation_id,
                r.members,
                r.moved,
                r.protocol.as_deref().unwrap_or("-")
            ));
        }
    }
    out
}
