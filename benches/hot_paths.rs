//! The pure hot paths, without the simulator: murmur2 partitioning, log append and fetch, and
//! Kafka's assignors at the scale of a big group (1000 members, 10000 partitions).
//! `cargo bench --bench hot_paths`; CI runs `-- --test` (each once, as a smoke test).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use kafkasim::protocol::group::assignor::{Assignor, Subscription};
use kafkasim::protocol::log::batch::RecordBatch;
use kafkasim::protocol::log::partition_log::PartitionLog;
use kafkasim::protocol::producer::partitioner::partition_for_key;
use kafkasim::protocol::types::{Record, TopicName, ValueId};
use std::collections::BTreeMap;
use std::hint::black_box;

fn batch(records: u64, first_sequence: u64) -> RecordBatch {
    RecordBatch::data(
        (0..records)
            .map(|i| Record::data(None, ValueId { producer: 0, sequence: first_sequence + i }, 100, 0))
            .collect(),
    )
}

fn murmur2(c: &mut Criterion) {
    let keys: Vec<String> = (0..1000).map(|i| format!("customer-{i}")).collect();
    c.bench_function("murmur2 partition of 1000 keys over 12 partitions", |b| {
        b.iter(|| keys.iter().map(|k| partition_for_key(black_box(k.as_bytes()), 12)).sum::<i32>())
    });
}

fn log(c: &mut Criterion) {
    c.bench_function("log: append 1000 batches of 10 records as leader", |b| {
        b.iter_batched(
            || (0..1000).map(|i| batch(10, i * 10)).collect::<Vec<_>>(),
            |batches| {
                let mut log = PartitionLog::new();
                for batch in batches {
                    log.append_as_leader(batch, 0);
                }
                log.log_end_offset()
            },
            BatchSize::SmallInput,
        )
    });
    let mut log = PartitionLog::new();
    for i in 0..10_000 {
        log.append_as_leader(batch(10, i * 10), 0);
    }
    log.set_high_watermark(log.log_end_offset());
    c.bench_function("log: fetch 1 MiB from the middle of a 100000-record log", |b| {
        b.iter(|| log.read(black_box(50_000), 1 << 20, 100_000).map(|batches| batches.len()).unwrap_or(0))
    });
}

fn assignors(c: &mut Criterion) {
    let mut group = c.benchmark_group("assignors, 1000 members x 10000 partitions (100 topics)");
    group.sample_size(10);
    let topics: Vec<TopicName> = (0..100).map(|t| TopicName::from(format!("topic-{t}"))).collect();
    let partitions: BTreeMap<TopicName, i32> = topics.iter().map(|t| (t.clone(), 100)).collect();
    let subscriptions: BTreeMap<String, Subscription> =
        (0..1000).map(|m| (format!("member-{m:04}"), Subscription::new(topics.iter().cloned()))).collect();
    for assignor in Assignor::ALL {
        group.bench_function(assignor.name(), |b| b.iter(|| assignor.assign(&partitions, &subscriptions).len()));
    }
    group.finish();
}

criterion_group!(benches, murmur2, log, assignors);
criterion_main!(benches);
