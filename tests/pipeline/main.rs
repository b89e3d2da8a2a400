//! The library's stages on the fixtures and on generated reports, in one test binary: one
//! analyzer and one analysis per fixture serve every module (`crate::common`).
//!
//! The integration tests are two binaries, `pipeline` (this one, the library) and `binary`
//! (the `gongkai` executable), not one per file: each test binary links the whole of tantivy
//! and the text pipeline, and one file per binary spent more time linking and analysing the
//! fixtures again than testing.

#[path = "../common/mod.rs"]
mod common;

mod boilerplate;
mod fuzz;
mod properties;
mod seeds;
mod themes;
