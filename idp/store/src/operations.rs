//! Counts of what this process asks of its backends: statements and
//! transactions sent to the database, operations sent to the ephemeral
//! store (one Redis round trip each). A "statement" is one call to the
//! database, one round trip: a call may carry several SQL statements in
//! one string (SQLite's refresh rotation does).
//!
//! Always on: an atomic increment per operation, next to a network round
//! trip or a lock. The statement-budget test reads them around each
//! endpoint (a change that adds a query to a hot path fails CI on any
//! machine), and the sizing guide's "database statements and Redis
//! operations per flow" are these counts.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Shared by every clone of one [`crate::Store`] or [`crate::Ephemeral`].
#[derive(Debug, Default)]
pub struct Operations {
    statements: AtomicU64,
    transactions: AtomicU64,
    ephemeral: AtomicU64,
    /// When set, the text of each statement and the name of each ephemeral
    /// operation is kept, so a budget failure can say what ran.
    recording: AtomicBool,
    recorded: Mutex<Vec<String>>,
}

/// A reading of [`Operations`]; subtract two to get what happened between.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub statements: u64,
    pub transactions: u64,
    pub ephemeral: u64,
}

impl std::ops::Sub for Counts {
    type Output = Counts;
    fn sub(self, before: Counts) -> Counts {
        Counts {
            statements: self.statements - before.statements,
            transactions: self.transactions - before.transactions,
            ephemeral: self.ephemeral - before.ephemeral,
        }
    }
}

impl Operations {
    pub fn counts(&self) -> Counts {
        Counts {
            statements: self.statements.load(Ordering::Relaxed),
            transactions: self.transactions.load(Ordering::Relaxed),
            ephemeral: self.ephemeral.load(Ordering::Relaxed),
        }
    }

    /// Starts (or stops) keeping what runs; [`Operations::take_recorded`]
    /// hands it over.
    pub fn record(&self, on: bool) {
        self.recording.store(on, Ordering::Relaxed);
    }

    pub fn take_recorded(&self) -> Vec<String> {
        std::mem::take(&mut *self.recorded.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub(crate) fn statement(&self, sql: impl FnOnce() -> String) {
        self.statements.fetch_add(1, Ordering::Relaxed);
        self.keep(sql);
    }

    pub(crate) fn transaction(&self) {
        self.transactions.fetch_add(1, Ordering::Relaxed);
        self.keep(|| "BEGIN".into());
    }

    pub(crate) fn ephemeral(&self, op: &'static str) {
        self.ephemeral.fetch_add(1, Ordering::Relaxed);
        self.keep(|| format!("ephemeral {op}"));
    }

    fn keep(&self, what: impl FnOnce() -> String) {
        if self.recording.load(Ordering::Relaxed) {
            self.recorded.lock().unwrap_or_else(|e| e.into_inner()).push(what());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_subtract_and_recording_keeps_only_while_on() {
        let ops = Operations::default();
        ops.statement(|| "SELECT 1".into());
        let before = ops.counts();
        ops.record(true);
        ops.statement(|| "SELECT 2".into());
        ops.transaction();
        ops.ephemeral("get");
        ops.record(false);
        ops.ephemeral("put");
        assert_eq!(ops.counts() - before, Counts { statements: 1, transactions: 1, ephemeral: 2 });
        assert_eq!(ops.take_recorded(), ["SELECT 2", "BEGIN", "ephemeral get"]);
        assert!(ops.take_recorded().is_empty());
    }
}
