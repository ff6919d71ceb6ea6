//! The `kexie` binary as an administrator runs it: one integration binary for the crate.

mod admin;
mod match_assign;
