//! Loads the demo district's outreach year in the demo's transaction, in bulk as the other
//! demo loaders do: campaigns, pieces with their first version and review trail (written by
//! the 科普部 clerk, science-reviewed by the head of 科普部, passed by the office director),
//! publications with their reach, and hand-outs with their receipts. The two 科普部 accounts
//! are added here, with the demo's password.

use super::content::Snapshot;
use crate::demo::insert_batches;
use crate::entity::{account, campaign, content, content_review, content_version, distribution, publication, reach};
use crate::{Result, audit};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use kexie_core::account::Role;
use kexie_core::demo::DemoDistrict;
use kexie_core::demo::outreach::{DemoContent, DemoOutreach, generate};
use kexie_core::estation::proof::{day_of, day_start};
use kexie_core::outreach::review::{ContentStatus, ReviewStep};
use kexie_core::outreach::sanitize;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};

pub(crate) const TABLES: [&str; 7] =
    ["campaign", "content", "content_version", "content_review", "publication", "reach", "distribution"];

/// The outreach year is drawn with its own seed.
const SEED: u64 = 367;

/// The demo's 科普部 accounts: (username, title of the district staff member behind it).
pub const ACCOUNTS: [(&str, &str); 2] = [("kepu", "科普部部长"), ("bianji", "工作人员")];

fn id(i: usize) -> i64 {
    i as i64 + 1
}

fn at(day: NaiveDate, hour: i64, minute: i64) -> DateTime<Utc> {
    day_start(day) + Duration::hours(hour) + Duration::minutes(minute)
}

pub(crate) async fn load(
    txn: &DatabaseTransaction,
    _chain: &audit::Chain,
    d: &DemoDistrict,
    password_hash: &str,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<DemoOutreach> {
    let t = crate::now();
    let o = generate(d, SEED, day_of(t));

    // The 科普部 accounts, for the district association's staff.
    for (username, title) in ACCOUNTS {
        let person = d.people.iter().position(|p| p.org == Some(0) && p.title.as_deref() == Some(title));
        account::Entity::insert(account::ActiveModel {
            username: Set(username.to_string()),
            person_id: Set(person.map(id)),
            role: Set(Role::DistrictStaff.code().to_string()),
            scope_region_id: Set(None),
            scope_org_id: Set(None),
            password_hash: Set(password_hash.to_string()),
            failed_logins: Set(0),
            locked_until: Set(None),
            disabled: Set(false),
            last_login_at: Set(None),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        })
        .exec_without_returning(txn)
        .await?;
    }
    let account_id = async |name: &str| -> Result<i64> {
        Ok(account::Entity::find().filter(account::Column::Username.eq(name)).one(txn).await?.map_or(0, |a| a.id))
    };
    let author = ("bianji", account_id("bianji").await?);
    let science = ("kepu", account_id("kepu").await?);
    let editorial = ("staff", account_id("staff").await?);

    let rows = o.campaigns.iter().enumerate().map(|(i, c)| campaign::ActiveModel {
        id: Set(id(i)),
        name: Set(c.name.clone()),
        kind: Set(c.kind.code().into()),
        starts_on: Set(c.starts_on),
        ends_on: Set(c.ends_on),
        description: Set(Some(c.description.clone())),
        content_id: Set(c.content.map(id)),
        interrupt_id: Set(None),
        created_by: Set(editorial.0.into()),
        created_at: Set(at(c.starts_on.min(day_of(t)) - Duration::days(10), 9, 0).min(t)),
    });
    insert_batches(txn, rows.collect(), progress, "campaign").await?;

    let mut pieces = Vec::with_capacity(o.contents.len());
    let mut versions = Vec::with_capacity(o.contents.len());
    let mut reviews = Vec::new();
    for (i, c) in o.contents.iter().enumerate() {
        let created = at(c.created_on, 9, (i % 50) as i64).min(t);
        // The steps each status has been through, with when.
        type Step<'a> = (ReviewStep, ContentStatus, ContentStatus, (&'a str, i64), DateTime<Utc>, &'a str);
        let mut steps: Vec<Step> = Vec::new();
        let later = |days: i64, hour: i64| at(c.created_on + Duration::days(days), hour, (i % 40) as i64).min(t);
        if c.status != ContentStatus::Draft {
            steps.push((ReviewStep::Submit, ContentStatus::Draft, ContentStatus::Submitted, author, later(0, 11), ""));
        }
        if matches!(c.status, ContentStatus::ScienceReviewed | ContentStatus::Approved | ContentStatus::Published) {
            steps.push((
                ReviewStep::Pass,
                ContentStatus::Submitted,
                ContentStatus::ScienceReviewed,
                science,
                later(1, 10),
                "科学性审核通过",
            ));
        }
        if matches!(c.status, ContentStatus::Approved | ContentStatus::Published) {
            steps.push((
                ReviewStep::Pass,
                ContentStatus::ScienceReviewed,
                ContentStatus::Approved,
                editorial,
                later(2, 15),
                "同意发布",
            ));
        }
        let published_at = c.released_on.map(|r| at(r, 10, (i % 50) as i64).min(t));
        if let Some(p) = published_at {
            steps.push((ReviewStep::Publish, ContentStatus::Approved, ContentStatus::Published, author, p, ""));
        }
        let updated = steps.last().map_or(created, |s| s.4);
        for (step, from, to, by, when, comment) in steps {
            reviews.push(content_review::ActiveModel {
                id: Set(id(reviews.len())),
                content_id: Set(id(i)),
                version: Set(1),
                step: Set(step.code().into()),
                from_status: Set(from.code().into()),
                to_status: Set(to.code().into()),
                comment: Set((!comment.is_empty()).then(|| comment.to_string())),
                by_id: Set(by.1),
                by_name: Set(by.0.into()),
                at: Set(when),
            });
        }
        versions.push(content_version::ActiveModel {
            id: Set(id(i)),
            content_id: Set(id(i)),
            version: Set(1),
            snapshot: Set(snapshot(c)),
            created_by: Set(author.0.into()),
            created_at: Set(created),
        });
        let science_reviewed =
            matches!(c.status, ContentStatus::ScienceReviewed | ContentStatus::Approved | ContentStatus::Published);
        pieces.push(content::ActiveModel {
            id: Set(id(i)),
            // The district, which owns the association's content, is the first region.
            region_id: Set(1),
            title: Set(c.title.clone()),
            kind: Set("article".into()),
            topic: Set(c.topic.into()),
            audience: Set(c.audience.into()),
            source: Set(c.source.code().into()),
            source_name: Set(c.source_name.map(str::to_string)),
            tags: Set(c.tags.join(",")),
            summary: Set(Some(c.summary.clone())),
            body: Set(sanitize::rich_text(&c.body)),
            status: Set(c.status.code().into()),
            version: Set(1),
            file_sha: Set(None),
            file_name: Set(None),
            file_type: Set(None),
            file_size: Set(None),
            media_id: Set(None),
            campaign_id: Set(c.campaign.map(id)),
            author_id: Set(author.1),
            author_name: Set(author.0.into()),
            science_reviewer_id: Set(science_reviewed.then_some(science.1)),
            created_at: Set(created),
            updated_at: Set(updated),
            published_at: Set(published_at),
        });
    }
    insert_batches(txn, pieces, progress, "content").await?;
    insert_batches(txn, versions, progress, "content_version").await?;
    insert_batches(txn, reviews, progress, "content_review").await?;

    let mut pubs = Vec::with_capacity(o.publications.len());
    let mut reaches = Vec::new();
    for (i, p) in o.publications.iter().enumerate() {
        let when = at(p.published_on, 10 + (i % 8) as i64, (i % 60) as i64).min(t);
        pubs.push(publication::ActiveModel {
            id: Set(id(i)),
            content_id: Set(id(p.content)),
            channel: Set(p.channel.code().into()),
            status: Set("done".into()),
            account: Set(p.account.to_string()),
            published_on: Set(Some(p.published_on)),
            link: Set(p.link.clone()),
            issue: Set(p.issue.clone()),
            schedule_id: Set(None),
            interrupt_id: Set(None),
            campaign_id: Set(p.campaign.map(id)),
            region_id: Set(p.region.map(id)),
            created_by: Set(author.0.into()),
            created_at: Set(when),
            updated_at: Set(when),
        });
        if let Some(n) = p.person_times {
            // Figures come in a few days after publication.
            let entered = (when + Duration::days(3)).min(t);
            reaches.push(reach::ActiveModel {
                id: Set(id(reaches.len())),
                publication_id: Set(id(i)),
                method: Set(p.channel.reach_method().code().into()),
                person_times: Set(n),
                basis: Set(p.basis.clone()),
                updated_by: Set(author.0.into()),
                updated_at: Set(entered),
            });
        }
    }
    insert_batches(txn, pubs, progress, "publication").await?;
    insert_batches(txn, reaches, progress, "reach").await?;

    let rows = o.distributions.iter().enumerate().map(|(i, x)| distribution::ActiveModel {
        id: Set(id(i)),
        resource: Set(x.resource.clone()),
        resource_kind: Set(x.resource_kind.into()),
        quantity: Set(x.quantity),
        recipient: Set(x.recipient.clone()),
        region_id: Set(id(x.region)),
        sent_on: Set(x.sent_on),
        signed_by: Set(x.signed.as_ref().map(|s| s.0.clone())),
        signed_on: Set(x.signed.as_ref().map(|s| s.1)),
        receipt_sha: Set(None),
        note: Set(x.note.clone()),
        created_by: Set(author.0.into()),
        created_at: Set(at(x.sent_on, 9, 30).min(t)),
    });
    insert_batches(txn, rows.collect(), progress, "distribution").await?;
    Ok(o)
}

fn snapshot(c: &DemoContent) -> String {
    serde_json::to_string(&Snapshot {
        title: c.title.clone(),
        kind: "article".into(),
        topic: c.topic.into(),
        audience: c.audience.into(),
        source: c.source.code().into(),
        source_name: c.source_name.map(str::to_string),
        tags: c.tags.clone(),
        summary: Some(c.summary.clone()),
        body: sanitize::rich_text(&c.body),
        file: None,
    })
    .expect("snapshot serialises")
}
