//! kexie's domain: types, rules and algorithms. No I/O, no async: every rule here is tested
//! without a database.

pub mod account;
pub mod activity;
pub mod audit;
pub mod challenge;
pub mod demo;
pub mod estation;
pub mod grassroots;
pub mod home;
pub mod matchmaking;
pub mod number;
pub mod org;
pub mod outreach;
pub mod page;
pub mod person;
pub mod privacy;
pub mod ratelimit;
pub mod region;
pub mod roster;
pub mod scope;
pub mod suggestion;
pub mod validate;
pub mod volunteer;

pub use validate::{FieldError, Invalid};
