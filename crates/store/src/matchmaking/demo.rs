//! Loads the demo district's matchmaking records (experts, needs, patents, workstation
//! members, events, engagements) with ids 1..n, in the demo's one transaction.

use crate::demo::insert_batches;
use crate::entity::{
    engagement, expert, expert_conflict, match_event, match_event_expert, match_event_meeting, match_event_need, need,
    patent, workstation_expert,
};
use crate::{Result, audit};
use kexie_core::demo::DemoDistrict;
use kexie_core::demo::followups::{DemoEngagement, DemoEvent};
use kexie_core::matchmaking::event::format_slots;
use sea_orm::{DatabaseTransaction, EntityTrait, Set};

fn id(i: usize) -> i64 {
    i as i64 + 1
}

/// The tables this loader fills, for resetting PostgreSQL's sequences afterwards.
/// Results of workstation cooperations that started before 2024.
const RESULTS: [&str; 4] = [
    "项目通过区科技局验收，形成发明专利申请2件",
    "新工艺在企业投产，年节约生产成本约80万元",
    "联合培养技术骨干5名，制定企业标准1项",
    "样机完成中试，获市级科技进步三等奖",
];
const OLD_ENOUGH: chrono::NaiveDate = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date");

pub(crate) const TABLES: [&str; 10] = [
    "expert",
    "expert_conflict",
    "need",
    "patent",
    "workstation_expert",
    "match_event",
    "match_event_need",
    "match_event_expert",
    "match_event_meeting",
    "engagement",
];

pub(crate) async fn load(
    txn: &DatabaseTransaction,
    chain: &audit::Chain,
    d: &DemoDistrict,
    events: &[DemoEvent],
    engagements: &[DemoEngagement],
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<()> {
    let t = crate::now();
    let rev = chain.next_seq();
    let rows = d.experts.iter().enumerate().map(|(i, e)| expert::ActiveModel {
        id: Set(id(i)),
        person_id: Set(e.person.map(id)),
        org_id: Set(e.org.map(id)),
        name: Set(e.name.clone()),
        title: Set(Some(e.title.clone()).filter(|t| !t.is_empty())),
        institution: Set(e.institution.clone()),
        fields: Set(e.fields.join("\n")),
        keywords: Set(e.keywords.join("\n")),
        bio: Set(Some(e.bio.clone()).filter(|b| !b.is_empty())),
        achievements: Set(e.achievements.join("\n")),
        consent: Set(e.consent),
        visible: Set(e.visible),
        status: Set(super::expert::ACTIVE.to_string()),
        rev: Set(rev),
        created_at: Set(t),
        updated_at: Set(t),
    });
    insert_batches(txn, rows.collect(), progress, "expert").await?;
    let rows: Vec<_> = d
        .experts
        .iter()
        .enumerate()
        .flat_map(|(i, e)| e.conflicts.iter().map(move |&o| (i, o)))
        .enumerate()
        .map(|(k, (i, o))| expert_conflict::ActiveModel {
            id: Set(id(k)),
            expert_id: Set(id(i)),
            org_id: Set(id(o)),
            reason: Set(Some("曾在该企业兼职技术顾问".to_string())),
            created_at: Set(t),
        })
        .collect();
    insert_batches(txn, rows, progress, "expert_conflict").await?;
    let rows = d.needs.iter().enumerate().map(|(i, n)| {
        let reviewed = matches!(n.status, "approved" | "rejected" | "closed");
        need::ActiveModel {
            id: Set(id(i)),
            org_id: Set(id(n.enterprise)),
            title: Set(n.title.clone()),
            industry: Set(n.industry.clone()),
            kind: Set(n.kind.code().to_string()),
            background: Set(n.background.clone()),
            problem: Set(n.problem.clone()),
            goal: Set(n.goal.clone()),
            budget_wan: Set(n.budget_wan),
            deadline: Set(Some(n.deadline)),
            status: Set(n.status.to_string()),
            review_note: Set(
                (n.status == "rejected").then(|| "请补充具体的技术指标和现有工艺参数后再提交。".to_string())
            ),
            reviewed_by: Set(reviewed.then(|| "staff".to_string())),
            reviewed_at: Set(reviewed.then_some(t)),
            created_at: Set(t),
            updated_at: Set(t),
        }
    });
    insert_batches(txn, rows.collect(), progress, "need").await?;
    let rows = d.patents.iter().enumerate().map(|(i, p)| patent::ActiveModel {
        id: Set(id(i)),
        number: Set(p.number.clone()),
        title: Set(p.title.clone()),
        kind: Set(p.kind.to_string()),
        applicant: Set(p.applicant.clone()),
        inventors: Set(p.inventors.join("；")),
        granted_on: Set(Some(p.granted_on)),
        expert_id: Set(p.expert.map(id)),
        org_id: Set(p.org.map(id)),
        created_at: Set(t),
    });
    insert_batches(txn, rows.collect(), progress, "patent").await?;
    let rows = d.workstation_members.iter().enumerate().map(|(i, m)| workstation_expert::ActiveModel {
        id: Set(id(i)),
        org_id: Set(id(m.workstation)),
        expert_id: Set(id(m.expert)),
        joined_on: Set(Some(m.joined_on)),
        project: Set(Some(m.project.clone())),
        // Cooperations of more than two years have something to show.
        result: Set((m.joined_on < OLD_ENOUGH).then(|| RESULTS[i % RESULTS.len()].to_string())),
    });
    insert_batches(txn, rows.collect(), progress, "workstation_expert").await?;

    let (mut need_rows, mut expert_rows, mut meeting_rows) = (Vec::new(), Vec::new(), Vec::new());
    for (i, e) in events.iter().enumerate() {
        match_event::Entity::insert(match_event::ActiveModel {
            id: Set(id(i)),
            name: Set(e.name.to_string()),
            held_on: Set(e.held_on),
            place: Set(Some(e.place.to_string())),
            starts_at: Set(e.starts_at.to_string()),
            slots: Set(e.slots as i32),
            slot_minutes: Set(e.slot_minutes as i32),
            fair: Set(e.fair),
            status: Set(e.status.to_string()),
            created_at: Set(t),
            updated_at: Set(t),
        })
        .exec_without_returning(txn)
        .await?;
        for (n, wanted, away) in &e.needs {
            need_rows.push(match_event_need::ActiveModel {
                id: Set(id(need_rows.len())),
                event_id: Set(id(i)),
                need_id: Set(id(*n)),
                wanted: Set(*wanted as i32),
                unavailable: Set(format_slots(away)),
            });
        }
        for (x, most, away) in &e.experts {
            expert_rows.push(match_event_expert::ActiveModel {
                id: Set(id(expert_rows.len())),
                event_id: Set(id(i)),
                expert_id: Set(id(*x)),
                max_meetings: Set(*most as i32),
                unavailable: Set(format_slots(away)),
            });
        }
        for m in &e.meetings {
            let arrived = m.arrived.then_some(t);
            meeting_rows.push(match_event_meeting::ActiveModel {
                id: Set(id(meeting_rows.len())),
                event_id: Set(id(i)),
                expert_id: Set(id(m.expert)),
                need_id: Set(id(m.need)),
                slot: Set(m.slot as i32),
                score: Set(m.score),
                expert_arrived_at: Set(arrived),
                enterprise_arrived_at: Set(arrived),
            });
        }
    }
    insert_batches(txn, need_rows, progress, "match_event_need").await?;
    insert_batches(txn, expert_rows, progress, "match_event_expert").await?;
    insert_batches(txn, meeting_rows, progress, "match_event_meeting").await?;
    let rows = engagements.iter().enumerate().map(|(i, e)| engagement::ActiveModel {
        id: Set(id(i)),
        need_id: Set(id(e.need)),
        expert_id: Set(id(e.expert)),
        event_id: Set(e.event.map(id)),
        stage: Set(e.stage.code().to_string()),
        contract_wan: Set(e.contract_wan),
        outcome: Set(e.outcome.map(|o| o.code().to_string())),
        follow_up_on: Set(e.follow_up_on),
        note: Set(e.note.map(str::to_string)),
        created_at: Set(t),
        updated_at: Set(t),
    });
    insert_batches(txn, rows.collect(), progress, "engagement").await?;
    Ok(())
}
