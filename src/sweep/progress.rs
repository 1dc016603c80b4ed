//! The sweep's progress on stderr: an indicatif bar with seeds/s and failures so far when stderr
//! is a terminal, otherwise (CI logs, pipes) a plain line every few seconds. Failing seeds are
//! announced as they come, with the command that replays them.

use super::result::SeedResult;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// How often the plain (non-terminal) progress prints a line.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

pub struct Progress {
    bar: Option<ProgressBar>,
    total: usize,
    done: usize,
    failing: usize,
    start: Instant,
    last_line: Instant,
    replay: Box<dyn Fn(u64) -> String + Send>,
}

impl Progress {
    /// `replay` gives the command that replays a seed.
    pub fn new(total: usize, replay: impl Fn(u64) -> String + Send + 'static) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let style =
                ProgressStyle::with_template("{bar:30} {pos}/{len} seeds  {msg}  [{elapsed} elapsed, ~{eta} left]")
                    .expect("a valid progress template");
            bar.set_style(style);
            bar
        });
        let now = Instant::now();
        Progress { bar, total, done: 0, failing: 0, start: now, last_line: now, replay: Box::new(replay) }
    }

    pub fn seeds_per_sec(&self) -> f64 {
        self.done as f64 / self.start.elapsed().as_secs_f64().max(1e-9)
    }

    pub fn on_done(&mut self, result: &SeedResult) {
        self.done += 1;
        if !result.ok {
            self.failing += 1;
            let what = match &result.panic {
                Some(message) => format!("panicked: {}", message.lines().next().unwrap_or("")),
                None => format!("missed {}", result.failed.join(", ")),
            };
            let line = format!("seed {} {what}  ({})", result.seed, (self.replay)(result.seed));
            match &self.bar {
                Some(bar) => bar.println(line),
                None => eprintln!("{line}"),
            }
        }
        let status = format!("{:.1} seeds/s, {} failing", self.seeds_per_sec(), self.failing);
        match &self.bar {
            Some(bar) => {
                bar.set_position(self.done as u64);
                bar.set_message(status);
            }
            None => {
                if self.last_line.elapsed() >= PLAIN_EVERY || self.done == self.total {
                    self.last_line = Instant::now();
                    eprintln!("sweep: {}/{} seeds, {status}", self.done, self.total);
                }
            }
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
