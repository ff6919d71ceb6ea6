//! 科普e站: the community science e-stations and their screens. Pure rules: what a screen plays
//! when (the manifest), dayparts, enrolment codes, accepted media, proof-of-play checks and
//! figures, stations' checklist and screens' health.

pub mod code;
pub mod daypart;
pub mod manifest;
pub mod media;
pub mod play;
pub mod proof;
pub mod roster;
pub mod schedule;
pub mod station;
