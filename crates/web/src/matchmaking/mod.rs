//! 产学研对接 pages: the overview with figures, needs (with review and the 科创中国 export),
//! experts (profiles, conflicts, workstations, patents), rankings with their explanations,
//! matchmaking events (plan, adjust, schedules, check-in) and engagements.

pub mod engagement;
pub mod event;
pub mod expert;
pub mod need;
pub mod overview;

use crate::i18n::Lang;
use kexie_core::matchmaking::{ExpertField, Explanation, Via};

/// One matched term of an explanation, in the reader's language.
pub struct Reason {
    pub text: String,
    pub how: String,
    pub fields: String,
}

/// What the ranking says about a match, for the page: the strongest terms first.
pub fn reasons(lang: Lang, e: &Explanation, most: usize) -> Vec<Reason> {
    e.terms
        .iter()
        .take(most)
        .map(|t| Reason {
            text: t.text.clone(),
            how: match &t.via {
                Via::Words => lang.t("match.via_words"),
                Via::Synonym { need_words, expert_word, .. } => {
                    lang.t_with("match.via_synonym", &[("need", &need_words.join("、")), ("expert", expert_word)])
                }
                Via::Concept { need_words, expert_word, .. } => {
                    lang.t_with("match.via_concept", &[("need", &need_words.join("、")), ("expert", expert_word)])
                }
                Via::Related { need_words, expert_word, .. } => {
                    lang.t_with("match.via_related", &[("need", &need_words.join("、")), ("expert", expert_word)])
                }
                Via::NeedKind { .. } => lang.t("match.via_kind"),
            },
            fields: t
                .fields
                .iter()
                .map(|f| {
                    lang.label(
                        "expert_field",
                        match f {
                            ExpertField::Fields => "fields",
                            ExpertField::Keywords => "keywords",
                            ExpertField::Bio => "bio",
                            ExpertField::Achievements => "achievements",
                            ExpertField::Institution => "institution",
                        },
                    )
                })
                .collect::<Vec<_>>()
                .join("、"),
        })
        .collect()
}

/// `Some(n)` from a form's number text, `None` when empty; a bad number is a 400.
pub fn opt_id(s: &str, code: &'static str) -> Result<Option<i64>, crate::WebError> {
    match s.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| crate::WebError::BadRequest(code)),
    }
}
