//! The audit log is a hash chain: each entry's hash covers the previous hash and the entry's
//! own fields, so changing, removing or reordering a stored row breaks every hash after it.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// The hash that precedes the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of one audit entry that the chain protects.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditFields<'a> {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// sha256 over the previous hash and the fields, each length-prefixed so that no two different
/// entries serialise alike.
pub fn chain_hash(prev: &str, f: &AuditFields) -> String {
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    put(prev);
    put(&f.seq.to_string());
    // Microseconds: every backend stores them exactly.
    put(&f.at.timestamp_micros().to_string());
    put(&f.actor_id.map(|x| x.to_string()).unwrap_or_default());
    put(f.actor_name);
    put(f.action);
    put(f.entity);
    put(&f.entity_id.map(|x| x.to_string()).unwrap_or_default());
    put(f.before.unwrap_or("\u{0}"));
    put(f.after.unwrap_or("\u{0}"));
    hex::encode(h.finalize())
}

/// Where a chain first fails to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The stored hash does not match the recomputed one: the row was altered.
    Altered { seq: i64 },
    /// The row's `prev_hash` is not the previous row's hash, or sequence numbers skip: rows
    /// were removed or reordered.
    Broken { seq: i64 },
}

/// Walks entries in sequence order; feed it each row with its stored hashes.
pub struct Verifier {
    prev_hash: String,
    prev_seq: i64,
    pub checked: u64,
}

impl Default for Verifier {
    fn default() -> Self {
        Self { prev_hash: GENESIS.to_string(), prev_seq: 0, checked: 0 }
    }
}

impl Verifier {
    pub fn step(&mut self, f: &AuditFields, stored_prev: &str, stored_hash: &str) -> Result<(), Break> {
        if stored_prev != self.prev_hash || f.seq != self.prev_seq + 1 {
            return Err(Break::Broken { seq: f.seq });
        }
        if chain_hash(stored_prev, f) != stored_hash {
            return Err(Break::Altered { seq: f.seq });
        }
        self.prev_hash = stored_hash.to_string();
        self.prev_seq = f.seq;
        self.checked += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn fields(seq: i64, after: &str) -> AuditFields<'_> {
        AuditFields {
            seq,
            at: Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap(),
            actor_id: Some(1),
            actor_name: "admin",
            action: "update",
            entity: "org",
            entity_id: Some(7),
            before: None,
            after: Some(after),
        }
    }

    #[test]
    fn a_chain_verifies_and_a_change_is_detected() {
        let a = fields(1, r#"{"name":"通州区农学会"}"#);
        let b = fields(2, r#"{"name":"通州区林学会"}"#);
        let ha = chain_hash(GENESIS, &a);
        let hb = chain_hash(&ha, &b);
        let mut v = Verifier::default();
        v.step(&a, GENESIS, &ha).unwrap();
        v.step(&b, &ha, &hb).unwrap();
        assert_eq!(v.checked, 2);

        let tampered = fields(2, r#"{"name":"通州区医学会"}"#);
        let mut v = Verifier::default();
        v.step(&a, GENESIS, &ha).unwrap();
        assert_eq!(v.step(&tampered, &ha, &hb), Err(Break::Altered { seq: 2 }));
    }

    #[test]
    fn a_removed_row_is_detected() {
        let a = fields(1, "1");
        let b = fields(2, "2");
        let c = fields(3, "3");
        let ha = chain_hash(GENESIS, &a);
        let hb = chain_hash(&ha, &b);
        let hc = chain_hash(&hb, &c);
        let mut v = Verifier::default();
        v.step(&a, GENESIS, &ha).unwrap();
        assert_eq!(v.step(&c, &hb, &hc), Err(Break::Broken { seq: 3 }));
    }

    #[test]
    fn none_and_empty_differ() {
        let mut a = fields(1, "");
        let h1 = chain_hash(GENESIS, &a);
        a.after = None;
        assert_ne!(h1, chain_hash(GENESIS, &a));
    }
}
