//! Loads the demo district's citizen suggestions, with their trails, in the demo's
//! transaction. The emergency campaign's suggestions are linked to the demo's emergency
//! campaign and fall within its dates when there is one; otherwise to none, in a period of
//! their own.

use crate::demo::insert_batches;
use crate::entity::{account, campaign, suggestion, suggestion_event};
use crate::{Result, audit};
use chrono::{DateTime, Duration, Utc};
use kexie_core::demo::DemoDistrict;
use kexie_core::demo::suggestion::{DEFAULT_CAMPAIGN_DAYS, DemoSuggestion, generate};
use kexie_core::suggestion::{Status, reason_zh};
use rand::RngCore;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub(crate) const TABLES: [&str; 2] = ["suggestion", "suggestion_event"];

/// The demo's suggestions are drawn with their own seed.
const SEED: u64 = 43;

pub(crate) async fn load(
    txn: &DatabaseTransaction,
    _chain: &audit::Chain,
    d: &DemoDistrict,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<()> {
    let t = crate::now();
    let today = kexie_core::estation::proof::day_of(t);
    // The emergency campaign, if the demo has one that is over.
    let emergency = campaign::Entity::find()
        .filter(campaign::Column::Kind.eq("emergency"))
        .order_by_asc(campaign::Column::Id)
        .one(txn)
        .await?
        .filter(|c| c.ends_on < today);
    let days = match &emergency {
        Some(c) => ((today - c.starts_on).num_days(), (today - c.ends_on).num_days().max(1)),
        None => DEFAULT_CAMPAIGN_DAYS,
    };
    let list = generate(d, SEED, days);
    let accounts: HashMap<String, i64> =
        account::Entity::find().all(txn).await?.into_iter().map(|a| (a.username, a.id)).collect();
    let region = |i: usize| i as i64 + 1;
    let mut rows = Vec::with_capacity(list.len());
    let mut events = Vec::new();
    for (i, s) in list.iter().enumerate() {
        let id = i as i64 + 1;
        let at = t - Duration::seconds(s.ago_s);
        let h = |hours: i64| at + Duration::hours(hours);
        let mut token = [0u8; 32];
        rand::rng().fill_bytes(&mut token);
        let routed = s.assigned_town.is_some() && s.status != Status::Accepted;
        let answered = s.status.has_answer();
        rows.push(suggestion::ActiveModel {
            id: Set(id),
            region_id: Set(region(s.region)),
            category: Set(s.category.to_string()),
            body: Set(s.body.to_string()),
            name: Set(s.name.clone()),
            phone: Set(s.phone.clone()),
            campaign_id: Set(emergency.as_ref().filter(|_| s.emergency).map(|c| c.id)),
            status: Set(s.status.code().to_string()),
            reason: Set(s.reason.map(str::to_string)),
            moderation_note: Set(None),
            moderated_at: Set((s.status != Status::Received).then(|| h(s.moderated_after_h))),
            assigned_region_id: Set(s.assigned_town.filter(|_| routed).map(region)),
            assigned_account_id: Set(s.assigned_account.filter(|_| routed).and_then(|a| accounts.get(a).copied())),
            due_on: Set(routed.then(|| kexie_core::estation::proof::day_of(at) + Duration::days(s.due_days))),
            assigned_at: Set(routed.then(|| h(s.assigned_after_h))),
            answer: Set(s.answer.map(str::to_string)),
            answer_public: Set(s.answer_public),
            answered_by: Set(answered.then(|| s.answered_by.to_string())),
            answered_at: Set(answered.then(|| h(s.answered_after_h))),
            adopted: Set(s.adopted),
            closed_at: Set(s.closed_after_h.map(h)),
            rating: Set(s.rating.map(|r| r.0)),
            rating_comment: Set(s.rating.and_then(|r| r.1).map(str::to_string)),
            rated_at: Set(s.rating.map(|_| h(rated_after_h(s)))),
            token_hash: Set(hex::encode(Sha256::digest(token))),
            created_at: Set(at),
            updated_at: Set(at),
            // Sent from the public form, whose consent box was ticked.
            consent_at: Set(Some(at)),
            consent_version: Set(Some(kexie_core::privacy::NOTICE_VERSION.to_string())),
        });
        trail(&mut events, id, s, at, routed);
    }
    insert_batches(txn, rows, progress, "suggestion").await?;
    let events = events
        .into_iter()
        .enumerate()
        .map(|(i, mut e)| {
            e.id = Set(i as i64 + 1);
            e
        })
        .collect();
    insert_batches(txn, events, progress, "suggestion_event").await?;
    Ok(())
}

fn trail(out: &mut Vec<suggestion_event::ActiveModel>, id: i64, s: &DemoSuggestion, at: DateTime<Utc>, routed: bool) {
    let mut push = |action: &str, from: Option<Status>, to: Status, note: Option<String>, by: &str, when| {
        out.push(suggestion_event::ActiveModel {
            suggestion_id: Set(id),
            action: Set(action.to_string()),
            from_status: Set(from.map(|s| s.code().to_string())),
            to_status: Set(to.code().to_string()),
            note: Set(note),
            by_name: Set(by.to_string()),
            at: Set(when),
            ..Default::default()
        });
    };
    let h = |hours: i64| at + Duration::hours(hours);
    push("submit", None, Status::Received, None, crate::suggestion::CITIZEN, at);
    if s.status == Status::Received {
        return;
    }
    if s.status == Status::Rejected {
        let note = s.reason.map(|r| reason_zh(r).to_string());
        push("reject", Some(Status::Received), Status::Rejected, note, "staff", h(s.moderated_after_h));
        return;
    }
    push("accept", Some(Status::Received), Status::Accepted, None, "staff", h(s.moderated_after_h));
    let mut from = Status::Accepted;
    if routed {
        let note = format!("{}前答复", (kexie_core::estation::proof::day_of(at) + Duration::days(s.due_days)));
        push("assign", Some(from), Status::Assigned, Some(note), "staff", h(s.assigned_after_h));
        from = Status::Assigned;
    }
    if s.status.has_answer() {
        let note = Some(if s.answer_public { "公开答复" } else { "不公开答复" }.to_string());
        push("answer", Some(from), Status::Answered, note, s.answered_by, h(s.answered_after_h));
        from = Status::Answered;
        if s.adopted {
            push("adopt", Some(from), from, None, "staff", h(s.answered_after_h + 2));
        }
        if let Some((stars, comment)) = s.rating {
            let note = match comment {
                Some(c) => format!("{stars} 星：{c}"),
                None => format!("{stars} 星"),
            };
            let when = h(rated_after_h(s));
            push("rate", Some(from), from, Some(note), crate::suggestion::CITIZEN, when);
        }
        if let Some(c) = s.closed_after_h {
            push("close", Some(Status::Answered), Status::Closed, None, "staff", h(c));
        }
    }
}

/// Citizens rate when the answer has reached them: by the time it is closed, or half a day on.
fn rated_after_h(s: &DemoSuggestion) -> i64 {
    s.closed_after_h.unwrap_or(s.answered_after_h + 12).max(s.answered_after_h + 1).min(s.ago_s / 3600)
}
