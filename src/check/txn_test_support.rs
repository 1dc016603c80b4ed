//! Hand-written histories for the transactional checkers' tests.

use crate::history::{ClientMeta, Entry, Event, History, PolledPartition};
use crate::protocol::types::*;

pub const P1: NodeId = NodeId::Client(0);
pub const P2: NodeId = NodeId::Client(1);
pub const READER: NodeId = NodeId::Client(2);

pub fn v(producer: u32, sequence: u64) -> ValueId {
    ValueId { producer, sequence }
}

pub fn tp(partition: i32) -> TopicPartition {
    TopicPartition::new("t", partition)
}

#[derive(Default)]
pub struct Builder {
    pub history: History,
    time_ms: SimTime,
}

impl Builder {
    /// A history whose only consumer, `READER`, reads with the given isolation level.
    pub fn new(read_committed: bool) -> Builder {
        let mut b = Builder::default();
        b.history.meta.nodes = vec![(P1, "p1".into()), (P2, "p2".into()), (READER, "reader-1".into())];
        b.history.meta.consumers = vec![ClientMeta {
            node: READER,
            name: "reader-1".into(),
            summary: String::new(),
            group: Some("reader".into()),
            read_committed,
        }];
        b
    }

    pub fn at(&mut self, node: NodeId, event: Event) -> &mut Builder {
        self.time_ms += 10;
        self.history.entries.push(Entry { time_ms: self.time_ms, node, event });
        self
    }

    /// A whole transaction of `node`: begin, sends acknowledged at the given offsets, then the end.
    pub fn txn(&mut self, node: NodeId, writes: &[(TopicPartition, Offset, ValueId)], committed: bool) -> &mut Builder {
        let begin = Event::TxnBegin { transactional_id: format!("{node:?}"), producer_id: 1, producer_epoch: 0 };
        self.at(node, begin);
        for (tp, offset, value) in writes {
            self.at(node, Event::SendInvoked { tp: tp.clone(), key: None, value: *value });
            self.at(node, Event::SendAcked { tp: tp.clone(), value: *value, offset: Some(*offset) });
        }
        let (transactional_id, partitions) = (format!("{node:?}"), writes.iter().map(|w| w.0.clone()).collect());
        let values = writes.iter().map(|w| w.2).collect();
        let end = if committed {
            Event::TxnCommitted { transactional_id, producer_id: 1, producer_epoch: 0, partitions, values }
        } else {
            let reason = "abort".into();
            Event::TxnAborted { transactional_id, producer_id: 1, producer_epoch: 0, partitions, values, reason }
        };
        self.at(node, end)
    }

    pub fn poll(&mut self, node: NodeId, tp: TopicPartition, records: &[(Offset, ValueId)]) -> &mut Builder {
        let partitions = vec![PolledPartition { tp, records: records.to_vec() }];
        self.at(node, Event::Polled { partitions, generation: None })
    }
}
