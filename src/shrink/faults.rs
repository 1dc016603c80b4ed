//! Smaller fault schedules to try, biggest cuts first: no faults at all, halves and quarters of
//! the schedule (delta debugging), every fault at one time (say a restart of every broker), one
//! fault, two faults; then the same schedule squeezed in time: everything earlier, a gap closed,
//! a fault moved onto its neighbour's time.

use super::Candidate;
use crate::scenario::raw::{RawFault, RawScenario};
use toml::Spanned;

fn describe(f: &RawFault) -> String {
    let target = f
        .node
        .as_ref()
        .map(|n| n.get_ref().clone())
        .or_else(|| {
            f.groups.as_ref().map(|g| {
                let groups: Vec<String> = g
                    .get_ref()
                    .iter()
                    .map(|group| group.iter().map(|n| n.get_ref().as_str()).collect::<Vec<_>>().join(" "))
                    .collect();
                groups.join(" | ")
            })
        })
        .or_else(|| f.from.as_ref().zip(f.to.as_ref()).map(|(a, b)| format!("{} -> {}", a.get_ref(), b.get_ref())))
        .map(|t| format!(" {t}"))
        .unwrap_or_default();
    format!("{} at {} ms{target}", f.kind.get_ref(), f.at_ms.get_ref())
}

fn without(raw: &RawScenario, drop: &[usize]) -> RawScenario {
    let mut smaller = raw.clone();
    smaller.faults = raw.faults.iter().enumerate().filter(|(i, _)| !drop.contains(i)).map(|(_, f)| f.clone()).collect();
    smaller
}

fn dropping(raw: &RawScenario, drop: &[usize]) -> Candidate {
    let what: Vec<String> = drop.iter().take(3).map(|&i| describe(&raw.faults[i])).collect();
    let text = match drop.len() {
        1 => format!("dropped {}", what[0]),
        2 | 3 => format!("dropped {}", what.join(", ")),
        n => format!("dropped {n} faults ({}, ...)", what.join(", ")),
    };
    (text, without(raw, drop))
}

/// Every candidate that removes faults, biggest cuts first.
pub fn drops(raw: &RawScenario) -> Vec<Candidate> {
    let n = raw.faults.len();
    let mut out: Vec<Candidate> = Vec::new();
    if n == 0 {
        return out;
    }
    let all: Vec<usize> = (0..n).collect();
    out.push((format!("dropped all {n} faults"), without(raw, &all)));
    let mut chunks = 2;
    while chunks < n {
        let size = n.div_ceil(chunks);
        if size < 2 {
            break;
        }
        for chunk in all.chunks(size) {
            out.push(dropping(raw, chunk));
        }
        chunks *= 2;
    }
    let mut i = 0;
    while i < n {
        let at = *raw.faults[i].at_ms.get_ref();
        let same: Vec<usize> = (i..n).take_while(|&j| *raw.faults[j].at_ms.get_ref() == at).collect();
        i += same.len();
        if same.len() > 1 {
            out.push(dropping(raw, &same));
        }
    }
    out.extend((0..n).map(|i| dropping(raw, &[i])));
    out
}

/// How far apart (in schedule order) the two faults of a pair may be: a fault and the one that
/// ends it are usually close, and all pairs would cost a run per pair of a long schedule.
const PAIR_REACH: usize = 4;

/// Two faults at a time (a crash with its restart, say): tried after single faults.
pub fn pair_drops(raw: &RawScenario) -> Vec<Candidate> {
    let n = raw.faults.len();
    (0..n)
        .flat_map(|i| (i + 1..n.min(i + 1 + PAIR_REACH)).map(move |j| (i, j)))
        .map(|(i, j)| dropping(raw, &[i, j]))
        .collect()
}

fn set_at(f: &mut RawFault, at_ms: u64) {
    f.at_ms = Spanned::new(0..0, at_ms);
}

/// The same faults at earlier (or shared) times, so the workload can end sooner.
pub fn moves(raw: &RawScenario) -> Vec<Candidate> {
    let n = raw.faults.len();
    let at = |i: usize| *raw.faults[i].at_ms.get_ref();
    let mut out: Vec<Candidate> = Vec::new();
    if n == 0 {
        return out;
    }
    // Everything earlier: the first fault to the start, or halfway there.
    for shift in [at(0), at(0) / 2] {
        if shift > 0 {
            let mut c = raw.clone();
            c.faults.iter_mut().for_each(|f| set_at(f, *f.at_ms.get_ref() - shift));
            out.push((format!("moved every fault {shift} ms earlier"), c));
        }
    }
    // Close (or halve) the gap before fault i, moving it and everything after it.
    for i in 1..n {
        let gap = at(i) - at(i - 1);
        for shift in [gap, gap / 2] {
            if shift > 0 {
                let mut c = raw.clone();
                c.faults[i..].iter_mut().for_each(|f| set_at(f, *f.at_ms.get_ref() - shift));
                out.push((format!("moved the faults from {} ms on {shift} ms earlier", at(i)), c));
            }
        }
    }
    // One fault onto its predecessor's time (earlier) or its successor's (later).
    for i in 0..n {
        if i > 0 && at(i - 1) < at(i) {
            let mut c = raw.clone();
            set_at(&mut c.faults[i], at(i - 1));
            out.push((format!("moved {} to {} ms", describe(&raw.faults[i]), at(i - 1)), c));
        }
        if i + 1 < n && at(i + 1) > at(i) {
            let mut c = raw.clone();
            set_at(&mut c.faults[i], at(i + 1));
            out.push((format!("moved {} to {} ms", describe(&raw.faults[i]), at(i + 1)), c));
        }
    }
    out
}
