//! Resources handed out to towns, schools and communities (books, video courseware, resource
//! packs), with quantities and the recipient's signed receipt.

use crate::Invalid;
use crate::validate::{optional, optional_date, required};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const RESOURCE_KINDS: [&str; 5] = ["book", "courseware", "pack", "exhibit", "other"];

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DistributionForm {
    #[serde(default)]
    pub resource: String,
    #[serde(default)]
    pub resource_kind: String,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub recipient: String,
    #[serde(default)]
    pub region_id: String,
    #[serde(default)]
    pub sent_on: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistributionInput {
    pub resource: String,
    pub resource_kind: String,
    pub quantity: i32,
    pub recipient: String,
    pub region_id: i64,
    pub sent_on: NaiveDate,
    pub note: Option<String>,
}

impl DistributionForm {
    pub fn check(&self, today: NaiveDate) -> Result<DistributionInput, Invalid> {
        let mut errs = Invalid::default();
        let resource = required(&mut errs, "resource", &self.resource, 100);
        let kind = self.resource_kind.trim().to_string();
        if !RESOURCE_KINDS.contains(&kind.as_str()) {
            errs.push("resource_kind", "required");
        }
        let quantity = match self.quantity.trim().parse::<i32>() {
            Ok(q) if (1..=100_000).contains(&q) => q,
            _ => {
                errs.push("quantity", "bad_number");
                0
            }
        };
        let recipient = required(&mut errs, "recipient", &self.recipient, 100);
        let region_id = self.region_id.trim().parse::<i64>().unwrap_or_else(|_| {
            errs.push("region_id", "required");
            0
        });
        let sent_on = optional_date(&mut errs, "sent_on", &self.sent_on);
        match sent_on {
            None if errs.for_field("sent_on").is_none() => errs.push("sent_on", "required"),
            Some(d) if d > today => errs.push("sent_on", "date_in_future"),
            _ => {}
        }
        let note = optional(&mut errs, "note", &self.note, 500);
        errs.into_result(DistributionInput {
            resource,
            resource_kind: kind,
            quantity,
            recipient,
            region_id,
            sent_on: sent_on.unwrap_or(today),
            note,
        })
    }
}

/// The recipient's signature on the receipt: who signed and when (not before it was sent).
pub fn check_receipt(
    signed_by: &str,
    signed_on: &str,
    sent_on: NaiveDate,
    today: NaiveDate,
) -> Result<(String, NaiveDate), Invalid> {
    let mut errs = Invalid::default();
    let by = required(&mut errs, "signed_by", signed_by, 50);
    let on = optional_date(&mut errs, "signed_on", signed_on);
    match on {
        None if errs.for_field("signed_on").is_none() => errs.push("signed_on", "required"),
        Some(d) if d < sent_on => errs.push("signed_on", "before_sent"),
        Some(d) if d > today => errs.push("signed_on", "date_in_future"),
        _ => {}
    }
    errs.into_result((by, on.unwrap_or(today)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::validate::parse_date(s).unwrap()
    }

    #[test]
    fn quantities_and_dates() {
        let f = DistributionForm {
            resource: "《应急科普知识读本》".into(),
            resource_kind: "book".into(),
            quantity: "200".into(),
            recipient: "金沙街道科协".into(),
            region_id: "3".into(),
            sent_on: "2026-03-02".into(),
            note: String::new(),
        };
        assert_eq!(f.check(d("2026-04-01")).unwrap().quantity, 200);
        let bad = DistributionForm { quantity: "0".into(), sent_on: "2026-05-01".into(), ..f };
        let e = bad.check(d("2026-04-01")).unwrap_err();
        assert!(e.for_field("quantity").is_some() && e.for_field("sent_on").is_some());
        assert!(check_receipt("张丽", "2026-03-03", d("2026-03-02"), d("2026-04-01")).is_ok());
        let e = check_receipt("张丽", "2026-03-01", d("2026-03-02"), d("2026-04-01")).unwrap_err();
        assert_eq!(e.for_field("signed_on").unwrap().code, "before_sent");
    }
}
