//! Smaller everything-but-faults to try: a shorter workload, lower producer
//! rates, fewer partitions, brokers, consumer members, producers and groups, and Kafka defaults
//! instead of explicit broker, topic and producer config entries. A candidate whose references no longer resolve (a fault
//! naming broker-3 of a two-broker cluster) is rejected by the normal validation, never run.

use super::Candidate;
use crate::scenario::raw::{ConfigMap, RawScenario};
use toml::Spanned;

fn spanned<T>(value: T) -> Spanned<T> {
    Spanned::new(0..0, value)
}

/// Shorter values to try for `current`, smallest first, none below `floor`.
fn shorter(current: u64, floor: u64) -> Vec<u64> {
    let mut out: Vec<u64> = [floor, current / 4, current / 2, current * 3 / 4]
        .into_iter()
        .map(|v| v.max(floor))
        .filter(|v| *v < current)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A shorter workload (never ending before the last fault). The settle phase keeps its length:
/// cut short, it would fail `converged` (or hide a loss from the consumers) for a new reason.
pub fn durations(raw: &RawScenario) -> Vec<super::Candidate> {
    let mut out = Vec::new();
    let duration = *raw.duration_ms.get_ref();
    let last_fault = raw.faults.iter().map(|f| *f.at_ms.get_ref()).max().unwrap_or(1).max(1);
    for d in shorter(duration, last_fault) {
        let mut c = raw.clone();
        c.duration_ms = spanned(d);
        out.push((format!("duration_ms {duration} -> {d}"), c));
    }
    out
}

/// Lower rates, fewer partitions, brokers and members; fewer producers, groups and topics.
pub fn sizes(raw: &RawScenario) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (i, p) in raw.producers.iter().enumerate() {
        let rate = *p.messages_per_sec.get_ref();
        for r in [(rate / 4.0).max(1.0).floor(), (rate / 2.0).max(1.0).floor(), (rate * 3.0 / 4.0).floor()] {
            if r < rate && r >= 1.0 {
                let mut c = raw.clone();
                c.producers[i].messages_per_sec = spanned(r);
                out.push((format!("{}: messages_per_sec {rate} -> {r}", p.name.get_ref()), c));
            }
        }
    }
    for (i, t) in raw.topics.iter().enumerate() {
        let partitions = *t.partitions.get_ref();
        let mut tries = vec![1, partitions / 2, partitions - 1];
        tries.sort();
        tries.dedup();
        for p in tries.into_iter().filter(|p| *p >= 1 && *p < partitions) {
            let mut c = raw.clone();
            c.topics[i].partitions = spanned(p);
            out.push((format!("topic {}: partitions {partitions} -> {p}", t.name.get_ref()), c));
        }
    }
    let brokers = *raw.cluster.brokers.get_ref();
    if brokers > 1 {
        let mut c = raw.clone();
        c.cluster.brokers = spanned(brokers - 1);
        out.push((format!("brokers {brokers} -> {}", brokers - 1), c));
    }
    for (i, g) in raw.consumer_groups.iter().enumerate() {
        let members = *g.members.get_ref();
        if members > 1 {
            for m in [1, members - 1] {
                let mut c = raw.clone();
                c.consumer_groups[i].members = spanned(m);
                out.push((format!("group {}: members {members} -> {m}", g.group.get_ref()), c));
            }
        }
    }
    if raw.producers.len() > 1 {
        for (i, p) in raw.producers.iter().enumerate() {
            let mut c = raw.clone();
            c.producers.remove(i);
            out.push((format!("dropped producer {}", p.name.get_ref()), c));
        }
    }
    if raw.consumer_groups.len() > 1 {
        for (i, g) in raw.consumer_groups.iter().enumerate() {
            let mut c = raw.clone();
            c.consumer_groups.remove(i);
            out.push((format!("dropped consumer group {}", g.group.get_ref()), c));
        }
    }
    if raw.topics.len() > 1 {
        for (i, t) in raw.topics.iter().enumerate() {
            let mut c = raw.clone();
            c.topics.remove(i);
            out.push((format!("dropped topic {}", t.name.get_ref()), c));
        }
    }
    out
}

fn drop_entries(
    out: &mut Vec<Candidate>,
    raw: &RawScenario,
    what: &str,
    map: impl Fn(&mut RawScenario) -> &mut ConfigMap,
) {
    let mut copy = raw.clone();
    let keys: Vec<String> = map(&mut copy).keys().map(|k| k.get_ref().clone()).collect();
    for key in keys {
        let mut c = raw.clone();
        map(&mut c).retain(|k, _| k.get_ref() != &key);
        out.push((format!("{what}: dropped \"{key}\" (Kafka's default)"), c));
    }
}

/// Each explicit broker, topic and producer config entry replaced by Kafka's default. Consumer
/// configs stay: the consumers are the observers, and with `auto.offset.reset` back at
/// `latest` they would skip what the checkers judge, a different failure that only looks alike.
pub fn configs(raw: &RawScenario) -> Vec<Candidate> {
    let mut out = Vec::new();
    drop_entries(&mut out, raw, "[cluster.config]", |r| &mut r.cluster.config);
    for i in 0..raw.topics.len() {
        drop_entries(&mut out, raw, &format!("topic {}", raw.topics[i].name.get_ref()), |r| &mut r.topics[i].config);
    }
    for i in 0..raw.producers.len() {
        drop_entries(&mut out, raw, &format!("producer {}", raw.producers[i].name.get_ref()), |r| {
            &mut r.producers[i].config
        });
    }
    out
}
