//! 产学研精准对接: ranking experts for enterprises' technical needs, and assigning experts to
//! enterprises in matchmaking events.

pub mod assign;
pub mod assign_fair;
pub mod expert;
pub mod explanation;
pub mod flow;
pub mod index;
pub mod jsonl;
pub mod lexicon;
pub mod metrics;
pub mod need;
pub mod rank;
pub mod schedule;
mod text;

pub use expert::{Expert, ExpertField};
pub use explanation::{Explanation, MatchedTerm, Via};
pub use index::ExpertIndex;
pub use need::{Need, NeedKind};
pub use rank::{Ranked, rank_experts, rank_needs};
#[cfg(test)]
mod bench;
#[cfg(test)]
mod tests;
