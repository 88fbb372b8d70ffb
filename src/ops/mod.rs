//! Operations: triage, status, log, new; the one home both shells call for every write.

pub mod new;
