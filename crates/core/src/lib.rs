//! Réplique's pure domain: the catalogue, the analysis of a learner's turn, the
//! conversation engine, end detection, scoring and the session report.
//!
//! No IO, no async, no database, no network: everything here is a deterministic function of
//! its inputs and of a session seed, so it can be unit-tested, benchmarked and replayed.

pub mod account;
pub mod analysis;
pub mod catalog;
pub mod certification;
pub mod champion;
pub mod end;
pub mod engine;
pub mod eval;
pub mod generation;
pub mod level;
pub mod llm;
pub mod mood;
pub mod programme;
pub mod progress;
pub mod report;
pub mod retention;
pub mod review;
pub mod rng;
pub mod selfplay;
pub mod sso;
pub mod text;
pub mod transcript;
pub mod voice;

pub use catalog::Catalog;
pub use level::Level;
