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

/// Every kind of record the log names (an entry's `entity`), in the order the audit page's
/// filter lists them. A write recording a kind not here fails the web crate's label test.
pub const ENTITIES: &[&str] = &[
    "sms_outbox",
    "org",
    "officer",
    "person",
    "region",
    "account",
    "api_token",
    "content",
    "publication",
    "reach",
    "campaign",
    "distribution",
    "station",
    "station_group",
    "station_group_member",
    "device",
    "media",
    "screen_schedule",
    "screen_interrupt",
    "activity",
    "activity_registration",
    "volunteer",
    "team_member",
    "service_record",
    "commendation",
    "service_project",
    "shift",
    "shift_signup",
    "service_order",
    "suggestion",
    "need",
    "expert",
    "expert_conflict",
    "workstation_expert",
    "patent",
    "match_event",
    "match_event_need",
    "match_event_expert",
    "match_event_meeting",
    "engagement",
    "district",
];

/// Every action the log records (an entry's `action`): the verbs the store passes, and the
/// codes of the steps and statuses it passes by value (a review step, an order's move, a
/// volunteer's new status, a ledger line's source).
pub const ACTIONS: &[&str] = &[
    "send",
    "create",
    "update",
    "delete",
    "import",
    "archive",
    "restore",
    "replace",
    "revoke",
    "set",
    "step",
    "submit",
    "pass",
    "return",
    "approve",
    "reject",
    "publish",
    "withdraw",
    "reopen",
    "close",
    "cancel",
    "complete",
    "launch",
    "sign",
    "report",
    "add_photos",
    "register",
    "check_in",
    "check_out",
    "join",
    "profile",
    "request",
    "leave",
    "pending",
    "verified",
    "suspended",
    "approved",
    "rejected",
    "left",
    "active",
    "paused",
    "checkin",
    "staff",
    "self_logged",
    "self",
    "swap",
    "offer",
    "keep",
    "remind",
    "order",
    "dispatch",
    "accept",
    "decline",
    "done",
    "rate",
    "merge",
    "dismiss_duplicate",
    "assign",
    "answer",
    "adopt",
    "unadopt",
    "plan",
    "move",
    "enroll",
    "issue_code",
    "login",
    "login_failed",
    "lockout",
    "logout",
    "set_password",
    "unlock",
    "demo_load",
];

/// One field of an entry's record, before and after, as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub changed: bool,
}

/// Fields never shown: secrets and their hashes, and the chain's own bookkeeping.
const HIDDEN: &[&str] = &["password_hash", "token_hash", "code_hash", "checkin_key", "ticket", "csrf", "rev"];

/// The fields of an entry's before and after (JSON objects as recorded), by field name, each
/// value as text: personal data masked, secrets left out, `null` as none. A value
/// that is not an object (a count, a list) is one field named `value`.
pub fn changes(before: Option<&str>, after: Option<&str>) -> Vec<FieldChange> {
    fn fields(s: Option<&str>) -> Vec<(String, serde_json::Value)> {
        match s.map(serde_json::from_str::<serde_json::Value>) {
            Some(Ok(serde_json::Value::Object(m))) => m.into_iter().collect(),
            Some(Ok(v)) => vec![("value".to_string(), v)],
            Some(Err(_)) => vec![("value".to_string(), serde_json::Value::String(s.unwrap_or_default().into()))],
            None => Vec::new(),
        }
    }
    fn text(field: &str, v: &serde_json::Value) -> Option<String> {
        let s = match v {
            serde_json::Value::Null => return None,
            serde_json::Value::String(s) if s.is_empty() => return None,
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(a) => a
                .iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join("、"),
            other => other.to_string(),
        };
        Some(match field {
            "phone" | "contact_phone" => crate::person::mask_phone(&s),
            "id_number" => crate::person::mask_id_number(&s),
            _ => s,
        })
    }
    let (b, a) = (fields(before), fields(after));
    let mut names: Vec<&String> = a.iter().map(|(k, _)| k).collect();
    names.extend(b.iter().map(|(k, _)| k).filter(|k| !a.iter().any(|(x, _)| x == *k)));
    let get =
        |list: &[(String, serde_json::Value)], k: &str| list.iter().find(|(x, _)| x == k).and_then(|(_, v)| text(k, v));
    names
        .into_iter()
        .filter(|k| !HIDDEN.contains(&k.as_str()))
        .map(|k| {
            let (before, after) = (get(&b, k), get(&a, k));
            let changed = before.is_some() && after.is_some() && before != after
                || (!b.is_empty() && !a.is_empty() && before.is_some() != after.is_some());
            FieldChange { field: k.clone(), before, after, changed }
        })
        .filter(|c| c.before.is_some() || c.after.is_some())
        .collect()
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

    #[test]
    fn changes_are_labelled_fields_with_personal_data_masked() {
        let before = r#"{"id":7,"name":"张建华","phone":"13812345678","password_hash":"$argon2id$x","note":null,"status":"pending"}"#;
        let after = r#"{"id":7,"name":"张建华","phone":"13812345678","password_hash":"$argon2id$y","note":"已核实","status":"verified"}"#;
        let c = changes(Some(before), Some(after));
        let names: Vec<&str> = c.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["id", "name", "note", "phone", "status"], "secrets are left out");
        let phone = &c[3];
        assert_eq!(phone.after.as_deref(), Some("138****5678"));
        assert!(!phone.changed);
        assert!(c[2].changed && c[2].before.is_none(), "a note added is a change");
        assert!(c[4].changed && c[4].after.as_deref() == Some("verified"));
        // A new record: every field is new, none highlighted as changed.
        let new = changes(None, Some(r#"{"title":"防范电信诈骗","tags":["反诈","老年人"]}"#));
        assert!(new.iter().all(|f| !f.changed && f.before.is_none()));
        assert_eq!(new[0].after.as_deref(), Some("反诈、老年人"), "tags, then title");
        // A summary that is not a record.
        assert_eq!(changes(None, Some("42"))[0].field, "value");
    }
}
