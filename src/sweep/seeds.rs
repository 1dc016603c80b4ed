//! Which seeds a sweep runs: a range (`A..B` leaves out B, as Rust does; `A..=B` keeps it; a
//! single `N` is one seed) and, to fan a sweep out over machines, one shard of it. Shard `i/n`
//! (1-based) takes every n-th seed of the range starting from its i-th: with `1..11`, shard
//! `2/3` runs seeds 2, 5 and 8. The n shards of a range are disjoint and together cover it, so
//! any batch scheduler can run them anywhere and `kafkasim sweep --merge` joins their results.

use super::SweepError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// More seeds than this in one sweep is a typo, not a plan (at 100 seeds/s: a day).
pub const MAX_SEEDS: u64 = 10_000_000;

/// Seeds `start..end` (end excluded), never empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeedRange {
    pub start: u64,
    pub end: u64,
}

impl SeedRange {
    pub fn parse(text: &str) -> Result<SeedRange, SweepError> {
        let bad = |why: &str| SweepError::Input(format!("--seeds {text}: {why}"));
        let number = |s: &str| {
            s.trim()
                .parse::<u64>()
                .map_err(|_| bad(&format!("'{}' is not a seed (a whole number from 0 to {})", s.trim(), u64::MAX)))
        };
        let (start, end) = if let Some((a, b)) = text.split_once("..=") {
            let (a, b) = (number(a)?, number(b)?);
            if a > b {
                return Err(bad("the range is reversed: the first seed must not be above the last"));
            }
            (a, b.checked_add(1).ok_or_else(|| bad("the last seed is too large"))?)
        } else if let Some((a, b)) = text.split_once("..") {
            let (a, b) = (number(a)?, number(b)?);
            if a > b {
                return Err(bad("the range is reversed: the first seed must not be above the last"));
            }
            if a == b {
                return Err(bad(&format!(
                    "the range is empty (A..B leaves B out; write {a}..={a} for seed {a} alone)"
                )));
            }
            (a, b)
        } else if text.trim().chars().all(|c| c.is_ascii_digit()) && !text.trim().is_empty() {
            let a = number(text)?;
            (a, a.checked_add(1).ok_or_else(|| bad("the seed is too large for a range"))?)
        } else {
            return Err(bad("write a range of seeds as A..B (B left out) or A..=B (B included), e.g. 1..100"));
        };
        if end - start > MAX_SEEDS {
            return Err(bad(&format!("{} seeds is more than one sweep runs (at most {MAX_SEEDS})", end - start)));
        }
        Ok(SeedRange { start, end })
    }

    pub fn len(&self) -> u64 {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains(&self, seed: u64) -> bool {
        (self.start..self.end).contains(&seed)
    }

    /// The seeds of this range in `shard` (all of them without one), in order.
    pub fn seeds(&self, shard: Option<Shard>) -> Vec<u64> {
        match shard {
            None => (self.start..self.end).collect(),
            Some(s) => (self.start..self.end).skip((s.index - 1) as usize).step_by(s.count as usize).collect(),
        }
    }
}

impl fmt::Display for SeedRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Shard `index` of `count` (1-based): every `count`-th seed from the range's `index`-th.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub fn parse(text: &str) -> Result<Shard, SweepError> {
        let bad = |why: String| SweepError::Input(format!("--shard {text}: {why}"));
        let Some((i, n)) = text.split_once('/') else {
            return Err(bad("write the shard as i/n, e.g. 2/4 for the second of four (i counts from 1)".into()));
        };
        let number =
            |s: &str| s.trim().parse::<u64>().map_err(|_| bad(format!("'{}' is not a whole number", s.trim())));
        let (index, count) = (number(i)?, number(n)?);
        if count == 0 {
            return Err(bad("a range cannot be split into 0 shards".into()));
        }
        if index == 0 {
            return Err(bad(format!("shards count from 1: the first of {count} is 1/{count}")));
        }
        if index > count {
            return Err(bad(format!("there is no shard {index} of {count} (shards are 1/{count} to {count}/{count})")));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

// Both serialize as the text the command line takes, so a result file reads like the command.
impl Serialize for SeedRange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SeedRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        SeedRange::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Shard {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Shard {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Shard::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_like_rust() {
        assert_eq!(SeedRange::parse("1..40").unwrap(), SeedRange { start: 1, end: 40 });
        assert_eq!(SeedRange::parse("1..=40").unwrap(), SeedRange { start: 1, end: 41 });
        assert_eq!(SeedRange::parse("7").unwrap(), SeedRange { start: 7, end: 8 });
        assert_eq!(SeedRange::parse("0..=0").unwrap().seeds(None), vec![0]);
        for (bad, why) in [
            ("5..5", "empty"),
            ("9..3", "reversed"),
            ("9..=3", "reversed"),
            ("a..b", "'a' is not a seed"),
            ("1-10", "write a range"),
            ("", "write a range"),
            ("-1..4", "'-1' is not a seed"),
            ("1..99999999999", "more than one sweep runs"),
            ("0..=18446744073709551615", "too large"),
        ] {
            let e = SeedRange::parse(bad).unwrap_err().to_string();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn shards_are_disjoint_and_cover_the_range() {
        let range = SeedRange::parse("1..11").unwrap();
        assert_eq!(range.seeds(Some(Shard::parse("2/3").unwrap())), vec![2, 5, 8]);
        let mut all: Vec<u64> = (1..=3).flat_map(|i| range.seeds(Some(Shard { index: i, count: 3 }))).collect();
        all.sort();
        assert_eq!(all, range.seeds(None));
        assert!(SeedRange::parse("1..3").unwrap().seeds(Some(Shard { index: 3, count: 4 })).is_empty());
        for (bad, why) in
            [("0/2", "count from 1"), ("3/2", "no shard 3 of 2"), ("1/0", "0 shards"), ("x", "i/n"), ("1/x", "'x'")]
        {
            let e = Shard::parse(bad).unwrap_err().to_string();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
