//! SeaORM entities: one per table. Enumerations are stored as their stable string codes and
//! timestamps in UTC, whole seconds (MySQL's TIMESTAMP keeps no fraction).

pub mod account;
pub mod api_token;
pub mod audit_head;
pub mod audit_log;
pub mod device;
pub mod dict_item;
pub mod engagement;
pub mod enrollment_code;
pub mod estation_change;
pub mod expert;
pub mod expert_conflict;
pub mod match_event;
pub mod match_event_expert;
pub mod match_event_meeting;
pub mod match_event_need;
pub mod media;
pub mod need;
pub mod officer;
pub mod org;
pub mod patent;
pub mod person;
pub mod play;
pub mod region;
pub mod screen_interrupt;
pub mod screen_schedule;
pub mod session;
pub mod station;
pub mod station_group;
pub mod station_group_member;
pub mod workstation_expert;
