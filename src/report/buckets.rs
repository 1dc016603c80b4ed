//! Time buckets: how a plot downsamples a long run so that drawing costs the same for a
//! one-minute run and a ten-minute run at 50,000 records/s.
//!
//! A run of `end_ms` is cut into about [`TARGET_BUCKETS`] equal buckets of a "round" width
//! (1, 2 or 5 times a power of ten milliseconds). Rates are counted per bucket; state such as a
//! lag or an unseen count is sampled at each bucket's end.

use crate::history::History;
use crate::protocol::types::SimTime;

/// How many buckets a run is cut into, at most: about one per two pixels of a 900 px wide plot.
pub const TARGET_BUCKETS: u64 = 600;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeBuckets {
    pub bucket_ms: u64,
    pub count: usize,
    /// The end of the time axis: the run's end (or its last entry, if later).
    pub end_ms: SimTime,
}

impl TimeBuckets {
    /// Buckets for a history: the run ends at `meta.end_ms` or at its last entry, whichever is
    /// later; `bucket_ms` overrides the adaptive width.
    pub fn for_history(history: &History, bucket_ms: Option<u64>) -> TimeBuckets {
        let last_entry_ms = history.entries.last().map_or(0, |e| e.time_ms);
        let end_ms = history.meta.end_ms.max(last_entry_ms).max(1);
        let bucket_ms = bucket_ms.unwrap_or_else(|| round_bucket_ms(end_ms)).max(1);
        TimeBuckets::new(end_ms, bucket_ms)
    }

    pub fn new(end_ms: SimTime, bucket_ms: u64) -> TimeBuckets {
        let end_ms = end_ms.max(1);
        let bucket_ms = bucket_ms.max(1);
        let count = end_ms.div_ceil(bucket_ms).max(1) as usize;
        TimeBuckets { bucket_ms, count, end_ms }
    }

    /// The bucket holding `time_ms` (times at or past the end fall into the last bucket).
    pub fn index(&self, time_ms: SimTime) -> usize {
        ((time_ms / self.bucket_ms) as usize).min(self.count - 1)
    }

    pub fn start_ms(&self, index: usize) -> SimTime {
        index as u64 * self.bucket_ms
    }

    /// The end of bucket `index` (the last one ends with the run).
    pub fn end_of_ms(&self, index: usize) -> SimTime {
        ((index as u64 + 1) * self.bucket_ms).min(self.end_ms)
    }

    /// The bucket's length in seconds (the last one may be short).
    pub fn width_s(&self, index: usize) -> f64 {
        (self.end_of_ms(index) - self.start_ms(index)) as f64 / 1000.0
    }

    pub fn mid_s(&self, index: usize) -> f64 {
        (self.start_ms(index) + self.end_of_ms(index)) as f64 / 2000.0
    }

    pub fn end_s(&self) -> f64 {
        self.end_ms as f64 / 1000.0
    }
}

/// The smallest round width (1, 2, 5 x 10^k ms) that cuts `end_ms` into at most
/// [`TARGET_BUCKETS`] buckets.
pub fn round_bucket_ms(end_ms: SimTime) -> u64 {
    let mut scale = 1u64;
    loop {
        for step in [1, 2, 5] {
            let width = step * scale;
            if end_ms.div_ceil(width) <= TARGET_BUCKETS {
                return width;
            }
        }
        scale *= 10;
    }
}

/// Finds the bucket of each entry of a time-ordered sequence without a division per entry (a
/// measurable cost over 60 million entries); out-of-order times fall back to [`TimeBuckets::index`].
#[derive(Debug)]
pub struct BucketCursor {
    buckets: TimeBuckets,
    index: usize,
    start_ms: SimTime,
    end_ms: SimTime,
}

impl BucketCursor {
    pub fn new(buckets: TimeBuckets) -> Self {
        BucketCursor { buckets, index: 0, start_ms: 0, end_ms: buckets.bucket_ms }
    }

    #[inline]
    pub fn index(&mut self, time_ms: SimTime) -> usize {
        if time_ms >= self.start_ms && time_ms < self.end_ms {
            return self.index;
        }
        let index = self.buckets.index(time_ms);
        self.index = index;
        self.start_ms = self.buckets.start_ms(index);
        self.end_ms =
            if index + 1 == self.buckets.count { SimTime::MAX } else { self.start_ms + self.buckets.bucket_ms };
        index
    }
}

/// Walks bucket indices forward as time-ordered entries arrive, so a fold can sample its state
/// at the end of every bucket it leaves (including empty ones).
#[derive(Debug, Default)]
pub struct Sampler {
    next: usize,
}

impl Sampler {
    /// Calls `sample(i)` for every bucket `i` before `bucket` not yet sampled.
    pub fn advance_to(&mut self, bucket: usize, mut sample: impl FnMut(usize)) {
        while self.next < bucket {
            sample(self.next);
            self.next += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_width_adapts_to_run_length() {
        assert_eq!(round_bucket_ms(600), 1);
        assert_eq!(round_bucket_ms(90_000), 200);
        assert_eq!(round_bucket_ms(600_000), 1_000);
        assert_eq!(round_bucket_ms(630_000), 2_000);
        assert_eq!(round_bucket_ms(3_600_000), 10_000);
    }

    #[test]
    fn the_cursor_agrees_with_division() {
        let buckets = TimeBuckets::new(10_500, 1_000);
        let mut cursor = BucketCursor::new(buckets);
        for time_ms in [0, 5, 999, 1_000, 1_001, 7_500, 3_000, 10_499, 10_500, 20_000, 0] {
            assert_eq!(cursor.index(time_ms), buckets.index(time_ms), "at {time_ms}");
        }
    }

    #[test]
    fn times_past_the_end_fall_into_the_last_bucket() {
        let buckets = TimeBuckets::new(10_500, 1_000);
        assert_eq!(buckets.count, 11);
        assert_eq!(buckets.index(10_499), 10);
        assert_eq!(buckets.index(99_999), 10);
        assert_eq!(buckets.end_of_ms(10), 10_500);
        assert_eq!(buckets.width_s(10), 0.5);
    }
}
