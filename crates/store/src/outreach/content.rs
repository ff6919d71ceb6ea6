//! The content library: pieces at their current version, every version kept whole, and the
//! review trail. Only drafts change; each save is a new version.

use super::{account_of, edits_content, search, sees_content};
use crate::entity::{content, content_review, content_version};
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor};
use kexie_core::outreach::content::ContentInput;
use kexie_core::outreach::review::{Actors, ContentStatus, ReviewStep};
use kexie_core::outreach::sanitize;
use kexie_core::page::{Page, PageRequest};
use kexie_core::scope::Scope;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};

/// A file attached to a piece, already stored under its content address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentFile {
    pub sha256: String,
    pub name: String,
    pub media_type: String,
    pub size: i64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ContentFilter {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default, deserialize_with = "kexie_core::validate::empty_as_none")]
    pub campaign: Option<i64>,
}

/// What a version holds: the checked input and the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub title: String,
    pub kind: String,
    pub topic: String,
    pub audience: String,
    pub source: String,
    pub source_name: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub body: String,
    pub file: Option<ContentFile>,
}

/// A piece as the search index takes it.
#[derive(Debug, Clone)]
pub struct ContentDoc {
    pub id: i64,
    pub title: String,
    pub text: String,
    pub tags: Vec<String>,
    pub region_id: i64,
    pub status: String,
    pub date: chrono::NaiveDate,
}

pub fn tags_of(c: &content::Model) -> Vec<String> {
    c.tags.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect()
}

pub fn status_of(c: &content::Model) -> ContentStatus {
    ContentStatus::parse(&c.status).unwrap_or(ContentStatus::Draft)
}

fn snapshot(i: &ContentInput, file: Option<&ContentFile>) -> String {
    serde_json::to_string(&Snapshot {
        title: i.title.clone(),
        kind: i.kind.code().into(),
        topic: i.topic.clone(),
        audience: i.audience.clone(),
        source: i.source.code().into(),
        source_name: i.source_name.clone(),
        tags: i.tags.clone(),
        summary: i.summary.clone(),
        body: i.body.clone(),
        file: file.cloned(),
    })
    .expect("snapshot serialises")
}

impl Store {
    /// The district's root region, which owns the association's content.
    async fn district_id(&self) -> Result<i64> {
        self.regions().await?.roots().next().map(|r| r.id).ok_or(StoreError::NotFound)
    }

    /// Towns see what was released; drafts and reviews are the association's.
    fn content_condition(actor: &Actor) -> Condition {
        match actor.scope {
            Scope::All => Condition::all(),
            _ => Condition::all()
                .add(content::Column::Status.is_in([ContentStatus::Approved.code(), ContentStatus::Published.code()])),
        }
    }

    pub async fn list_content(
        &self,
        actor: &Actor,
        f: &ContentFilter,
        page: PageRequest,
    ) -> Result<Page<content::Model>> {
        sees_content(actor)?;
        let mut q = content::Entity::find().filter(Self::content_condition(actor));
        let text = f.q.trim();
        if !text.is_empty() {
            q = q.filter(
                Condition::any()
                    .add(content::Column::Title.contains(text))
                    .add(content::Column::Tags.contains(text))
                    .add(content::Column::AuthorName.eq(text)),
            );
        }
        if !f.status.is_empty() {
            q = q.filter(content::Column::Status.eq(f.status.as_str()));
        }
        if !f.topic.is_empty() {
            q = q.filter(content::Column::Topic.eq(f.topic.as_str()));
        }
        if !f.kind.is_empty() {
            q = q.filter(content::Column::Kind.eq(f.kind.as_str()));
        }
        if let Some(c) = f.campaign {
            q = q.filter(content::Column::CampaignId.eq(c));
        }
        let total = q.clone().count(&self.db).await?;
        let items = q
            .order_by_desc(content::Column::UpdatedAt)
            .order_by_desc(content::Column::Id)
            .paginate(&self.db, page.per_page);
        let items = items.fetch_page(page.page - 1).await?;
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    /// What waits for the caller's review: never their own pieces, and not the second review
    /// of what they passed first.
    pub async fn review_queue(&self, actor: &Actor) -> Result<Vec<content::Model>> {
        edits_content(actor, Action::Review)?;
        let me = account_of(actor);
        let rows = content::Entity::find()
            .filter(
                content::Column::Status.is_in([ContentStatus::Submitted.code(), ContentStatus::ScienceReviewed.code()]),
            )
            .order_by_asc(content::Column::UpdatedAt)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter(|c| c.author_id != me && !(c.status == "science_reviewed" && c.science_reviewer_id == Some(me)))
            .collect())
    }

    pub async fn get_content(&self, actor: &Actor, id: i64) -> Result<content::Model> {
        sees_content(actor)?;
        content::Entity::find_by_id(id)
            .filter(Self::content_condition(actor))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Versions, newest first, and the review trail, oldest first.
    pub async fn content_history(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(Vec<content_version::Model>, Vec<content_review::Model>)> {
        self.get_content(actor, id).await?;
        let versions = content_version::Entity::find()
            .filter(content_version::Column::ContentId.eq(id))
            .order_by_desc(content_version::Column::Version)
            .all(&self.db)
            .await?;
        let reviews = content_review::Entity::find()
            .filter(content_review::Column::ContentId.eq(id))
            .order_by_asc(content_review::Column::Id)
            .all(&self.db)
            .await?;
        Ok((versions, reviews))
    }

    pub async fn content_version(
        &self,
        actor: &Actor,
        id: i64,
        version: i32,
    ) -> Result<(content_version::Model, Snapshot)> {
        self.get_content(actor, id).await?;
        let v = content_version::Entity::find()
            .filter(content_version::Column::ContentId.eq(id))
            .filter(content_version::Column::Version.eq(version))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let snap: Snapshot = serde_json::from_str(&v.snapshot).map_err(|_| StoreError::NotFound)?;
        Ok((v, snap))
    }

    pub async fn create_content(&self, actor: &Actor, i: &ContentInput, file: Option<&ContentFile>) -> Result<i64> {
        edits_content(actor, Action::Edit)?;
        if i.kind.needs_file() && file.is_none() {
            return Err(Invalid::one("file", "required").into());
        }
        let region_id = self.district_id().await?;
        let t = now();
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let row = content::ActiveModel {
            region_id: Set(region_id),
            title: Set(i.title.clone()),
            kind: Set(i.kind.code().into()),
            topic: Set(i.topic.clone()),
            audience: Set(i.audience.clone()),
            source: Set(i.source.code().into()),
            source_name: Set(i.source_name.clone()),
            tags: Set(i.tags.join(",")),
            summary: Set(i.summary.clone()),
            body: Set(i.body.clone()),
            status: Set(ContentStatus::Draft.code().into()),
            version: Set(1),
            file_sha: Set(file.map(|f| f.sha256.clone())),
            file_name: Set(file.map(|f| f.name.clone())),
            file_type: Set(file.map(|f| f.media_type.clone())),
            file_size: Set(file.map(|f| f.size)),
            media_id: Set(None),
            campaign_id: Set(None),
            author_id: Set(account_of(actor)),
            author_name: Set(actor.username.clone()),
            science_reviewer_id: Set(None),
            created_at: Set(t),
            updated_at: Set(t),
            published_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        chain.record(&txn, actor, "create", "content", Some(row.id), None::<&()>, Some(&row)).await?;
        add_version(&txn, actor, row.id, 1, &snapshot(i, file)).await?;
        search::touch(&txn, "content", row.id).await?;
        self.commit(txn, chain).await?;
        Ok(row.id)
    }

    /// Saves a new version of a draft; a new file replaces the old one, no file keeps it.
    pub async fn update_content(
        &self,
        actor: &Actor,
        id: i64,
        i: &ContentInput,
        file: Option<&ContentFile>,
    ) -> Result<i32> {
        edits_content(actor, Action::Edit)?;
        let before = self.get_content(actor, id).await?;
        if !status_of(&before).editable() {
            return Err(Invalid::one("status", "not_editable").into());
        }
        let kept = before.file_sha.clone().map(|sha256| ContentFile {
            sha256,
            name: before.file_name.clone().unwrap_or_default(),
            media_type: before.file_type.clone().unwrap_or_default(),
            size: before.file_size.unwrap_or(0),
        });
        let file = file.cloned().or(kept);
        if i.kind.needs_file() && file.is_none() {
            return Err(Invalid::one("file", "required").into());
        }
        let version = before.version + 1;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: content::ActiveModel = before.clone().into();
        am.title = Set(i.title.clone());
        am.kind = Set(i.kind.code().into());
        am.topic = Set(i.topic.clone());
        am.audience = Set(i.audience.clone());
        am.source = Set(i.source.code().into());
        am.source_name = Set(i.source_name.clone());
        am.tags = Set(i.tags.join(","));
        am.summary = Set(i.summary.clone());
        am.body = Set(i.body.clone());
        am.version = Set(version);
        am.file_sha = Set(file.as_ref().map(|f| f.sha256.clone()));
        am.file_name = Set(file.as_ref().map(|f| f.name.clone()));
        am.file_type = Set(file.as_ref().map(|f| f.media_type.clone()));
        am.file_size = Set(file.as_ref().map(|f| f.size));
        // A changed piece is prepared for screens again.
        am.media_id = Set(None);
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "update", "content", Some(id), Some(&before), Some(&after)).await?;
        add_version(&txn, actor, id, version, &snapshot(i, file.as_ref())).await?;
        search::touch(&txn, "content", id).await?;
        self.commit(txn, chain).await?;
        Ok(version)
    }

    /// One review step with its comment; the trail keeps who, when and which version.
    pub async fn review_content(
        &self,
        actor: &Actor,
        id: i64,
        step: ReviewStep,
        comment: &str,
    ) -> Result<ContentStatus> {
        let action = if matches!(step, ReviewStep::Pass | ReviewStep::Return | ReviewStep::Withdraw) {
            Action::Review
        } else {
            Action::Edit
        };
        edits_content(actor, action)?;
        let before = self.get_content(actor, id).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let to = step_in(&txn, &mut chain, actor, &before, step, comment).await?;
        self.commit(txn, chain).await?;
        Ok(to)
    }

    /// Every piece the index should hold, or those listed.
    pub async fn content_docs(&self, ids: Option<&[i64]>) -> Result<Vec<ContentDoc>> {
        let mut q = content::Entity::find();
        if let Some(ids) = ids {
            q = q.filter(content::Column::Id.is_in(ids.to_vec()));
        }
        Ok(q.all(&self.db)
            .await?
            .into_iter()
            .map(|c| {
                let mut text = c.summary.clone().unwrap_or_default();
                text.push('\n');
                text.push_str(&sanitize::plain_text(&c.body));
                ContentDoc {
                    id: c.id,
                    tags: tags_of(&c),
                    title: c.title,
                    text,
                    region_id: c.region_id,
                    status: c.status,
                    date: c.updated_at.date_naive(),
                }
            })
            .collect())
    }
}

async fn add_version(txn: &DatabaseTransaction, actor: &Actor, id: i64, version: i32, snapshot: &str) -> Result<()> {
    content_version::ActiveModel {
        content_id: Set(id),
        version: Set(version),
        snapshot: Set(snapshot.to_string()),
        created_by: Set(actor.username.clone()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Applies a review step inside a transaction (publishing does it with the publication).
pub(crate) async fn step_in(
    txn: &DatabaseTransaction,
    chain: &mut audit::Chain,
    actor: &Actor,
    before: &content::Model,
    step: ReviewStep,
    comment: &str,
) -> Result<ContentStatus> {
    let from = status_of(before);
    let who = Actors {
        actor: account_of(actor),
        author: before.author_id,
        science_reviewer: before.science_reviewer_id,
        reviewer: actor.can(kexie_core::account::Area::Content, Action::Review),
    };
    let to = from.after(step, who, comment).map_err(|code| Invalid::one("step", code))?;
    if from == to {
        return Ok(to);
    }
    let mut am: content::ActiveModel = before.clone().into();
    am.status = Set(to.code().into());
    if from == ContentStatus::Submitted && to == ContentStatus::ScienceReviewed {
        am.science_reviewer_id = Set(Some(who.actor));
    }
    if to == ContentStatus::Draft {
        am.science_reviewer_id = Set(None);
    }
    if to == ContentStatus::Published && before.published_at.is_none() {
        am.published_at = Set(Some(now()));
    }
    am.updated_at = Set(now());
    let after = am.update(txn).await?;
    chain.record(txn, actor, step.code(), "content", Some(before.id), Some(before), Some(&after)).await?;
    let comment = comment.trim();
    content_review::ActiveModel {
        content_id: Set(before.id),
        version: Set(before.version),
        step: Set(step.code().into()),
        from_status: Set(from.code().into()),
        to_status: Set(to.code().into()),
        comment: Set((!comment.is_empty()).then(|| comment.chars().take(1000).collect())),
        by_id: Set(who.actor),
        by_name: Set(actor.username.clone()),
        at: Set(now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    search::touch(txn, "content", before.id).await?;
    Ok(to)
}
