//! Champion (SPEC 7): reading a real call of one of the company's best salespeople,
//! analysing what they do with the same pattern ids as the engine, and training a learner
//! on it.
//!
//! Pure: the web layer stores files and calls the transcription service. `transcript`
//! tells a recording from a transcript by its bytes and reads transcripts (speaker-labelled
//! text, WebVTT, SRT, JSON); `analyse` analyses the call; `training` replays it and
//! compares a learner's answers with the champion's.

mod analyse;
mod training;
mod transcript;

pub use analyse::{
    AnnotatedTurn, CallAnalysis, CallDelivery, ObjectionAnswer, PatternUse, Signature, Stage, analyse_call,
};
pub use training::{AnsweredWith, CallMove, ChampionScenario, ComparisonPoint, answer_patterns, compare, scenario_of};
pub use transcript::{CallError, CallTurn, Upload, infer_champion, parse_call, sniff};

#[cfg(test)]
mod tests;
