//! `G0` (write cycle) and `G1c` (cyclic information flow) over committed transactions, the way
//! Elle builds them for Jepsen's Kafka workload.
//!
//! - ww edge Ti -> Tj: in one partition, a value of Tj sits at the next offset holding a
//!   committed transactional value after one of Ti (the log is the version order).
//! - wr edge Ti -> Tj: Tj read a value Ti wrote (a poll by Tj's producer node while Tj was open).
//!
//! `G0` is a cycle of ww edges alone: two transactions each wrote "after" the other in
//! different partitions. Kafka does not prevent it (transactions are atomic, not isolated:
//! producers interleave freely in a partition), so Jepsen allows G0 by default and scenarios
//! list it only to show it. `G1c` is a cycle of ww and wr edges with at least one wr edge:
//! a transaction observed another that also depends on it. Each finding reports one shortest
//! cycle per strongly connected group of transactions, every edge with its partition, offsets
//! and values.

use super::finding::{CheckOutcome, Finding};
use super::observations::Observations;
use super::transactions::Transactions;
use crate::protocol::types::*;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum EdgeKind {
    Ww,
    Wr,
}

#[derive(Clone, Debug)]
struct Edge {
    to: usize,
    kind: EdgeKind,
    why: String,
    tp: TopicPartition,
    offsets: Vec<Offset>,
    values: Vec<ValueId>,
}

type Graph = BTreeMap<usize, Vec<Edge>>;

fn dependency_graph(txns: &Transactions, obs: &Observations) -> Graph {
    let mut graph: Graph = BTreeMap::new();
    let mut seen: BTreeSet<(usize, usize, EdgeKind)> = BTreeSet::new();
    for (tp, writes) in txns.committed_writes(obs) {
        for pair in writes.windows(2) {
            let ((o1, v1, t1), (o2, v2, t2)) = (pair[0], pair[1]);
            if t1 != t2 && seen.insert((t1, t2, EdgeKind::Ww)) {
                graph.entry(t1).or_default().push(Edge {
                    to: t2,
                    kind: EdgeKind::Ww,
                    why: format!("T{t1} wrote {v1} at {tp}:{o1}, then T{t2} wrote {v2} at {tp}:{o2}"),
                    tp: tp.clone(),
                    offsets: vec![o1, o2],
                    values: vec![v1, v2],
                });
            }
        }
    }
    for (reader, txn) in txns.txns.iter().enumerate().filter(|(_, t)| t.committed) {
        for (tp, offset, value) in &txn.reads {
            let Some(&writer) = txns.writer.get(value).filter(|w| txns.txns[**w].committed) else { continue };
            if writer != reader && seen.insert((writer, reader, EdgeKind::Wr)) {
                graph.entry(writer).or_default().push(Edge {
                    to: reader,
                    kind: EdgeKind::Wr,
                    why: format!("T{reader} read {value} at {tp}:{offset}, written by T{writer}"),
                    tp: tp.clone(),
                    offsets: vec![*offset],
                    values: vec![*value],
                });
            }
        }
    }
    graph
}

/// The shortest path of allowed edges from `from` to `to`, as edges.
fn shortest_path(graph: &Graph, from: usize, to: usize, allowed: &dyn Fn(&Edge) -> bool) -> Option<Vec<Edge>> {
    let mut previous: BTreeMap<usize, (usize, Edge)> = BTreeMap::new();
    let mut queue = VecDeque::from([from]);
    let mut visited = BTreeSet::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut path = Vec::new();
            let mut at = to;
            while at != from {
                let (prev, edge) = previous[&at].clone();
                path.push(edge);
                at = prev;
            }
            path.reverse();
            return Some(path);
        }
        for edge in graph.get(&node).into_iter().flatten().filter(|e| allowed(e)) {
            if visited.insert(edge.to) {
                previous.insert(edge.to, (node, edge.clone()));
                queue.push_back(edge.to);
            }
        }
    }
    None
}

/// One shortest cycle per group of transactions that closes a cycle through a `seed` edge.
fn minimal_cycles(graph: &Graph, seed: &dyn Fn(&Edge) -> bool, allowed: &dyn Fn(&Edge) -> bool) -> Vec<Vec<Edge>> {
    let mut best: BTreeMap<BTreeSet<usize>, Vec<Edge>> = BTreeMap::new();
    for (from, edges) in graph {
        for edge in edges.iter().filter(|e| seed(e) && allowed(e)) {
            let Some(back) = shortest_path(graph, edge.to, *from, allowed) else { continue };
            let mut cycle = vec![edge.clone()];
            cycle.extend(back);
            let members: BTreeSet<usize> = cycle.iter().map(|e| e.to).collect();
            // Cycles over the same transactions are one anomaly; keep the shortest.
            let key = best.keys().find(|k| !k.is_disjoint(&members)).cloned().unwrap_or(members.clone());
            let replace = best.get(&key).is_none_or(|c| cycle.len() < c.len());
            if replace {
                best.remove(&key);
                let merged: BTreeSet<usize> = key.union(&members).copied().collect();
                best.insert(merged, cycle);
            }
        }
    }
    best.into_values().collect()
}

fn finding(txns: &Transactions, cycle: &[Edge], what: &str) -> Finding {
    let members: Vec<usize> = cycle.iter().map(|e| e.to).collect();
    let described: Vec<String> = members.iter().map(|t| txns.txns[*t].describe(*t)).collect();
    let kind = |k: EdgeKind| if k == EdgeKind::Ww { "ww" } else { "wr" };
    let steps: Vec<String> = cycle.iter().map(|e| format!("{} ({})", e.why, kind(e.kind))).collect();
    let time = members.iter().map(|t| txns.txns[*t].end_ms).max().unwrap_or(0);
    Finding::new(format!("{what} of {} transactions: {}; {}", cycle.len(), steps.join("; "), described.join(", ")))
        .at(time)
        .partition(&cycle[0].tp)
        .offsets(cycle.iter().flat_map(|e| e.offsets.clone()))
        .values(cycle.iter().flat_map(|e| e.values.clone()))
}

pub fn g0(txns: &Transactions, obs: &Observations) -> CheckOutcome {
    if txns.is_empty() {
        return CheckOutcome::not_applicable("G0", "no transactions in this history");
    }
    let graph = dependency_graph(txns, obs);
    let ww = |e: &Edge| e.kind == EdgeKind::Ww;
    let findings = minimal_cycles(&graph, &ww, &ww).iter().map(|c| finding(txns, c, "write cycle")).collect();
    CheckOutcome::new("G0", findings)
}

pub fn g1c(txns: &Transactions, obs: &Observations) -> CheckOutcome {
    if txns.is_empty() {
        return CheckOutcome::not_applicable("G1c", "no transactions in this history");
    }
    let graph = dependency_graph(txns, obs);
    let wr = |e: &Edge| e.kind == EdgeKind::Wr;
    let any = |_: &Edge| true;
    let findings =
        minimal_cycles(&graph, &wr, &any).iter().map(|c| finding(txns, c, "cyclic information flow")).collect();
    CheckOutcome::new("G1c", findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::txn_test_support::*;
    use crate::history::{Event, History};

    fn outcomes(h: &History) -> (CheckOutcome, CheckOutcome) {
        let txns = Transactions::from_history(h);
        let obs = Observations::from_history_with(h, &txns);
        (g0(&txns, &obs), g1c(&txns, &obs))
    }

    #[test]
    fn two_transactions_each_writing_after_the_other_are_a_write_cycle() {
        let mut b = Builder::new(true);
        // T0 is before T1 in partition 0, T1 before T0 in partition 1.
        b.txn(P1, &[(tp(0), 0, v(0, 0)), (tp(1), 1, v(0, 1))], true);
        b.txn(P2, &[(tp(0), 1, v(1, 0)), (tp(1), 0, v(1, 1))], true);
        let (g0, g1c) = outcomes(&b.history);
        assert_eq!(g0.count, 1);
        assert!(g0.findings[0].message.starts_with("write cycle of 2 transactions"), "{}", g0.findings[0].message);
        assert_eq!(g1c.count, 0, "no reads, no information flow");
    }

    #[test]
    fn a_read_closing_a_write_order_cycle_is_g1c() {
        let mut b = Builder::new(true);
        // T0 writes x, then T1 writes after it (ww T0 -> T1); T0 read what T1 wrote (wr T1 -> T0).
        b.at(P1, Event::TxnBegin { transactional_id: "a".into(), producer_id: 1, producer_epoch: 0 });
        b.txn(P2, &[(tp(0), 1, v(1, 0)), (tp(1), 0, v(1, 1))], true);
        b.poll(P1, tp(1), &[(0, v(1, 1))]);
        b.at(P1, Event::SendInvoked { tp: tp(0), key: None, value: v(0, 0) });
        b.at(P1, Event::SendAcked { tp: tp(0), value: v(0, 0), offset: Some(0) });
        let end = Event::TxnCommitted {
            transactional_id: "a".into(),
            producer_id: 1,
            producer_epoch: 0,
            partitions: vec![tp(0)],
            values: vec![v(0, 0)],
        };
        b.at(P1, end);
        let (g0, g1c) = outcomes(&b.history);
        assert_eq!(g0.count, 0);
        assert_eq!(g1c.count, 1);
        assert!(g1c.findings[0].message.contains("read 1:1"), "{}", g1c.findings[0].message);
    }

    #[test]
    fn serial_transactions_have_no_cycle() {
        let mut b = Builder::new(true);
        b.txn(P1, &[(tp(0), 0, v(0, 0)), (tp(1), 0, v(0, 1))], true);
        b.txn(P2, &[(tp(0), 1, v(1, 0)), (tp(1), 1, v(1, 1))], true);
        let (g0, g1c) = outcomes(&b.history);
        assert_eq!((g0.count, g1c.count), (0, 0));
    }
}
