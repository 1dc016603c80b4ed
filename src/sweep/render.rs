//! The sweep's text report: a table of check outcomes over all seeds, then each failing seed
//! with what it missed and the exact command that replays it.

use super::result::SweepResult;
use crate::scenario::Expect;

pub fn render_text(result: &SweepResult) -> String {
    let mut out = String::new();
    let shard = result.shard.map(|s| format!(", shard {s}")).unwrap_or_default();
    out.push_str(&format!(
        "sweep of {} (scenario {}): seeds {}{shard}, {} run(s)\n\n",
        result.file,
        result.scenario,
        result.range,
        result.seeds.len()
    ));
    out.push_str("CHECK                        EXPECT  SEEDS FOUND  SEEDS FAILED\n");
    for row in result.summary() {
        let expect = match row.expect {
            Some(Expect::None) => "none",
            Some(Expect::Some) => "some",
            None => "-",
        };
        let failed = if row.expect.is_some() { row.seeds_failed.to_string() } else { String::new() };
        let line = format!("{:<28} {:<7} {:<12} {}", row.name, expect, row.seeds_found, failed);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let failing: Vec<_> = result.failing().collect();
    out.push('\n');
    if failing.is_empty() {
        out.push_str(&format!("every seed ({}) met every expectation\n", result.seeds.len()));
        return out;
    }
    out.push_str(&format!("{} of {} seed(s) missed an expectation:\n", failing.len(), result.seeds.len()));
    for seed in failing {
        let what = match &seed.panic {
            Some(message) => {
                format!("the simulation panicked (a bug in kafkasim): {}", message.lines().next().unwrap_or(""))
            }
            None => seed
                .failed
                .iter()
                .map(|name| {
                    let expected = result.expectations.iter().find(|e| &e.name == name).map(|e| e.expect);
                    match (expected, seed.found.get(name)) {
                        (Some(Expect::None), Some(n)) => format!("{name} (expected none, found {n})"),
                        (Some(Expect::Some), _) => format!("{name} (expected some, found none)"),
                        _ => name.clone(),
                    }
                })
                .collect::<Vec<_>>()
                .join(", "),
        };
        out.push_str(&format!("  seed {}: {what}\n    {}\n", seed.seed, result.replay(seed.seed)));
    }
    out
}
