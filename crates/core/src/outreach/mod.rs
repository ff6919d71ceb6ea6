//! 科普宣传: science content, its review, publication over the nine channels (九位一体),
//! campaigns, the reach of what was sent, and resources handed out to towns and schools.

pub mod campaign;
pub mod channel;
pub mod content;
pub mod distribution;
pub mod publication;
pub mod reach;
pub mod render;
pub mod review;
pub mod sanitize;
pub mod stats;

pub use channel::{Channel, ReachMethod};
