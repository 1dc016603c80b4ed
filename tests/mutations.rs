//! The checkers catch planted bugs: a history recorded by a correct run is mutated the way a
//! broken broker or client would have it (a record that was never delivered, two records at
//! each other's offsets, a record written twice), and the check that names that anomaly must
//! fire, while it finds nothing on the unmutated history.

use kafkasim::check::run_all;
use kafkasim::history::{Event, History};
use kafkasim::lab::run::execute;
use kafkasim::protocol::types::ValueId;
use kafkasim::scenario::parse_scenario;

const QUIET: &str = r#"
name = "quiet"
seed = 1
duration_ms = 3000
settle_ms = 5000

[cluster]
brokers = 3

[[topics]]
name = "orders"
partitions = 1
replication_factor = 3

[[producers]]
name = "p1"
topic = "orders"
messages_per_sec = 100

[[consumer_groups]]
group = "g"
topics = ["orders"]
members = 1

[consumer_groups.config]
"auto.offset.reset" = "earliest"
"#;

fn recorded() -> History {
    let (_, scenario) = parse_scenario("quiet.toml", QUIET).unwrap();
    let history = execute(&scenario, 1).unwrap().history;
    for check in ["lost-write", "unseen", "inconsistent-offsets", "duplicate"] {
        assert_eq!(count(&history, check), 0, "{check} on the unmutated history");
    }
    history
}

fn count(history: &History, check: &str) -> usize {
    run_all(history).into_iter().find(|o| o.name == check).map_or(0, |o| o.count)
}

/// Every (offset, value) some poll returned, in history order.
fn polled_records(history: &mut History) -> Vec<&mut (i64, ValueId)> {
    history
        .entries
        .iter_mut()
        .filter_map(|e| match &mut e.event {
            Event::Polled { partitions, .. } => Some(partitions),
            _ => None,
        })
        .flat_map(|partitions| partitions.iter_mut().flat_map(|p| p.records.iter_mut()))
        .collect()
}

#[test]
fn a_record_the_consumer_never_got_is_a_lost_write() {
    let mut history = recorded();
    let records = polled_records(&mut history);
    assert!(records.len() > 100, "the run polled {} records", records.len());
    let (_, victim) = *records[records.len() / 2];
    for entry in &mut history.entries {
        if let Event::Polled { partitions, .. } = &mut entry.event {
            partitions.iter_mut().for_each(|p| p.records.retain(|(_, v)| *v != victim));
        }
    }
    assert_eq!(count(&history, "lost-write"), 1, "acknowledged, read past, never read");
    assert_eq!(count(&history, "unseen"), 1);
}

#[test]
fn two_records_at_each_others_offsets_are_inconsistent_offsets() {
    let mut history = recorded();
    let mut records = polled_records(&mut history);
    let middle = records.len() / 2;
    let (first, second) = (records[middle].1, records[middle + 1].1);
    records[middle].1 = second;
    records[middle + 1].1 = first;
    assert_eq!(count(&history, "inconsistent-offsets"), 2, "each offset was acknowledged holding the other value");
}

#[test]
fn a_record_read_at_a_second_offset_is_a_duplicate() {
    let mut history = recorded();
    let mut records = polled_records(&mut history);
    let last = records.len() - 1;
    let value = records[0].1;
    records[last].1 = value;
    assert!(count(&history, "duplicate") >= 1);
}
