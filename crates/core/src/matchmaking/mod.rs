//! 产学研精准对接: ranking experts for enterprises' technical needs, and assigning experts to
//! enterprises in matchmaking events.

pub mod assign;
pub mod assign_fair;
pub mod engagement;
pub mod event;
pub mod expert;
pub mod explanation;
pub mod flow;
pub mod index;
pub mod jsonl;
pub mod lexicon;
pub mod metrics;
pub mod need;
pub mod patent;
pub mod rank;
pub mod roster;
pub mod schedule;
mod text;

pub use expert::{Expert, ExpertField, ExpertForm, ExpertInput};
pub use explanation::{Explanation, MatchedTerm, Via};
pub use index::ExpertIndex;
pub use need::{Need, NeedForm, NeedInput, NeedKind, NeedStatus, NeedStep};
pub use rank::{Ranked, rank_experts, rank_needs};
#[cfg(test)]
mod bench;
#[cfg(test)]
mod tests;
