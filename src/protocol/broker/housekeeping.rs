//! Periodic broker chores: the time-based flusher (`LogManager.flushDirtyLogs`, which runs every
//! `log.flush.scheduler.interval.ms` and flushes logs older than `flush.ms`), the high-watermark
//! checkpoint (`replica.high.watermark.checkpoint.interval.ms`), and retention
//! (`log.retention.check.interval.ms`).

use super::*;
use crate::history::Event;

impl Broker {
    pub(super) fn on_flush_check(&mut self, now: SimTime, out: &mut Outbox<BrokerTimer>) {
        for (tp, log) in self.disk.logs.iter_mut() {
            if let Some(config) = self.image.topic_config(&tp.topic) {
                log.maybe_flush(now, u64::MAX, config.flush_ms);
            }
        }
        out.set_timer(now + self.config.log_flush_scheduler_interval_ms, BrokerTimer::FlushCheck);
    }

    pub(super) fn checkpoint_high_watermarks(&mut self, now: SimTime, out: &mut Outbox<BrokerTimer>) {
        self.disk.high_watermark_checkpoint =
            self.disk.logs.iter().map(|(tp, log)| (tp.clone(), log.high_watermark())).collect();
        out.set_timer(
            now + self.config.replica_high_watermark_checkpoint_interval_ms,
            BrokerTimer::HighWatermarkCheckpoint,
        );
    }

    pub(super) fn on_retention_check(&mut self, now: SimTime, out: &mut Outbox<BrokerTimer>) {
        for (tp, log) in self.disk.logs.iter_mut() {
            let Some(config) = self.image.topic_config(&tp.topic) else { continue };
            if log.apply_retention(now, config.retention_ms, config.retention_bytes) > 0 {
                out.record(Event::LogStartAdvanced { tp: tp.clone(), log_start_offset: log.log_start_offset() });
            }
        }
        out.set_timer(now + self.config.log_retention_check_interval_ms, BrokerTimer::RetentionCheck);
    }
}
