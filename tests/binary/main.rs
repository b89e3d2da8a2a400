//! The `gongkai` executable run as a real process in temp folders: exit codes, output read
//! back structurally, snapshots of long outputs, the index's life cycle. One test binary for
//! all of them (see `tests/pipeline/main.rs` for why).

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod exports;
mod robustness;
mod search;
mod snapshots;
