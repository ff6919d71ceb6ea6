//! 个人信息保护: what the public forms tell people before they give a phone or an ID number
//! (purpose and how long it is kept, one line per form), and the consent they give by ticking
//! a box that starts unticked. The consent is kept with the record it came with: when, and
//! which version of the notice (`/privacy`) was shown.

use crate::Invalid;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The version of the privacy notice the forms show. Change it whenever the notice's
/// substance changes, so each record says which text its person agreed to.
pub const NOTICE_VERSION: &str = "2026-01";

/// The public forms that collect personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// 志愿者注册: name, gender, phone, ID number, town.
    Join,
    /// 活动报名: name and phone.
    Register,
    /// 建议意见: name and phone, both optional.
    Suggest,
    /// 点单服务: contact person and phone.
    Order,
}

impl Purpose {
    pub const ALL: [Purpose; 4] = [Self::Join, Self::Register, Self::Suggest, Self::Order];

    pub fn code(self) -> &'static str {
        match self {
            Self::Join => "join",
            Self::Register => "register",
            Self::Suggest => "suggest",
            Self::Order => "order",
        }
    }

    /// How long the personal data is kept, in months, counted from when the matter ends (the
    /// volunteer leaves, the activity ends, the suggestion or order is closed). A volunteer's
    /// record stays longer because service hours back certificates and stars for years.
    pub fn retention_months(self) -> u32 {
        match self {
            Self::Join => 36,
            Self::Register => 12,
            Self::Suggest | Self::Order => 24,
        }
    }
}

/// A person's consent to the notice, as recorded with what they sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consent {
    pub at: DateTime<Utc>,
    pub version: &'static str,
}

/// The consent box's value as sent: anything but a ticked box is no consent.
pub fn consent(ticked: &str, at: DateTime<Utc>) -> Result<Consent, Invalid> {
    if ticked == "yes" {
        Ok(Consent { at, version: NOTICE_VERSION })
    } else {
        Err(Invalid::one("consent", "consent_required"))
    }
}

/// A form's own check and the consent together: every problem at once.
pub fn consented<T>(form: Result<T, Invalid>, ticked: &str, at: DateTime<Utc>) -> Result<(T, Consent), Invalid> {
    match (form, consent(ticked, at)) {
        (Ok(v), Ok(c)) => Ok((v, c)),
        (form, c) => {
            let mut e = form.err().unwrap_or_default();
            e.0.extend(c.err().map(|c| c.0).unwrap_or_default());
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_ticked_box_is_consent_and_it_carries_the_notice_version() {
        let at = Utc::now();
        assert_eq!(consent("yes", at), Ok(Consent { at, version: NOTICE_VERSION }));
        for not in ["", "no", "on", "YES "] {
            assert_eq!(consent(not, at), Err(Invalid::one("consent", "consent_required")), "{not:?}");
        }
    }

    #[test]
    fn form_errors_and_missing_consent_are_reported_together() {
        let at = Utc::now();
        let bad: Result<(), Invalid> = Err(Invalid::one("phone", "bad_phone"));
        let e = consented(bad.clone(), "", at).unwrap_err();
        assert_eq!(
            e.0.iter().map(|f| (f.field, f.code)).collect::<Vec<_>>(),
            [("phone", "bad_phone"), ("consent", "consent_required")]
        );
        assert_eq!(consented(bad, "yes", at).unwrap_err(), Invalid::one("phone", "bad_phone"));
        assert_eq!(consented(Ok(7), "yes", at).unwrap(), (7, Consent { at, version: NOTICE_VERSION }));
    }
}
