//! 产学研对接 end to end: an enterprise posts a need, the association reviews it, experts are
//! ranked with their reasons, conflicts exclude, rosters and patents import all or nothing,
//! an event is planned (or refused with who cannot be served), adjusted, published and
//! checked in, and engagements move forward into the figures.

use crate::helpers::*;
use kexie_core::account::Actor;
use kexie_core::matchmaking::NeedStatus;
use kexie_core::page::PageRequest;
use kexie_store::matchmaking::need::NeedFilter;

fn sys() -> Actor {
    Actor::system("t")
}

async fn need_count(app: &TestApp) -> u64 {
    app.store.list_needs(&sys(), &NeedFilter::default(), PageRequest::new(Some(1), Some(1))).await.unwrap().total
}

/// A need's fields as a form posts them.
fn need_form<'a>(title: &'a str, industry: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("industry", industry),
        ("kind", "technology"),
        ("background", "公司主要生产涤棉混纺色织布，年产量三千万米，近两年出口订单增加。"),
        ("problem", "同一个配方染出来，这一缸和下一缸颜色总有差别，客户经常退货，老师傅也说不清原因。"),
        ("goal", "缸差稳定控制在4级以上，回修率降到3%以下。"),
        ("budget", "80"),
        ("deadline", "2027-09-30"),
    ]
}

/// The reasons on a need's page, as (what, how) pairs: `<li><strong>what</strong> <span
/// class="muted">how …`.
fn reasons_on(page: &str) -> Vec<(String, String)> {
    page.split("<ul class=\"why\">")
        .skip(1)
        .flat_map(|list| {
            let list = list.split("</ul>").next().unwrap_or_default();
            list.split("<li><strong>").skip(1).map(|li| {
                let (what, rest) = li.split_once("</strong>").unwrap_or_default();
                let how = rest.split("<span class=\"muted\">").nth(1).unwrap_or_default();
                (what.to_string(), how.split(" · ").next().unwrap_or_default().to_string())
            })
        })
        .collect()
}

/// Whether `phrase` is made of dictionary words of two characters or more: jieba's own words
/// and the lexicon's trade terms (家纺, 消失模; a term may also be one character, 漆). "个大"
/// (这个|大问题) and "形控制" (变形|控制) are not.
fn made_of_words(jieba: &jieba_rs::Jieba, phrase: &str) -> bool {
    if kexie_core::matchmaking::lexicon::lexicon().trigger_words().any(|t| t == phrase) {
        return true;
    }
    let chars: Vec<char> = phrase.chars().collect();
    // whole[i]: the first i characters split into words.
    let mut whole = vec![false; chars.len() + 1];
    whole[0] = true;
    for end in 2..=chars.len() {
        whole[end] =
            (0..end - 1).any(|start| whole[start] && jieba.has_word(&chars[start..end].iter().collect::<String>()));
    }
    whole[chars.len()]
}

/// 字面一致 names whole words of the need — never a pair of characters across two of its words
/// ("个大" of 这个|大问题, "形控制" of 变形|控制) — and 同义概念 two different words.
#[tokio::test]
async fn the_need_page_explains_matches_with_whole_words() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let approved = NeedFilter { status: Some(NeedStatus::Approved), ..Default::default() };
    let needs = app.store.list_needs(&sys(), &approved, PageRequest::new(Some(1), Some(100))).await.unwrap().items;
    assert!(needs.len() >= 20, "{} approved demo needs", needs.len());
    let mut jieba = jieba_rs::Jieba::new();
    for word in kexie_core::matchmaking::lexicon::lexicon().trigger_words() {
        jieba.add_word(word, None, None);
    }
    let (mut words, mut synonyms) = (0, 0);
    for v in &needs {
        let need = v.input().to_need(String::new(), String::new());
        let text = format!("{}\n{}", need.title, need.body);
        let (status, page) = app.get_text(&staff, &format!("/match/needs/{}", v.need.id)).await;
        assert_eq!(status, 200);
        for (what, how) in reasons_on(&page) {
            if how == "字面一致" && what.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
                words += 1;
                assert!(text.contains(&what), "“{what}” is not in need {}", v.need.id);
                assert!(made_of_words(&jieba, &what), "“{what}” is no whole word of need {}: {text}", v.need.id);
            }
            if let Some(pair) = how.strip_prefix("同义概念：") {
                synonyms += 1;
                let (need_word, expert_word) = pair.split_once('≈').expect("two words");
                let (need_word, expert_word) =
                    (need_word.trim_matches(['“', '”']), expert_word.trim_matches(['“', '”']));
                assert_ne!(need_word, expert_word, "need {}", v.need.id);
                let lexicon = kexie_core::matchmaking::lexicon::lexicon();
                assert!(
                    lexicon.same_meaning(need_word, expert_word),
                    "{need_word} ≈ {expert_word}, need {}",
                    v.need.id
                );
            }
        }
    }
    assert!(words >= 30, "only {words} word matches shown");
    println!("{words} word matches and {synonyms} synonyms checked on {} needs", needs.len());
}

#[tokio::test]
async fn an_enterprise_posts_a_need_the_association_reviews_it_and_experts_are_ranked_with_reasons() {
    let app = TestApp::spawn().await;
    let qiye = app.login("qiye").await;
    let staff = app.login("staff").await;
    let expert = app.login("expert").await;
    let before = need_count(&app).await;

    // Every problem at once, in Chinese, and nothing written.
    let r = app.post(&qiye, "/match/needs", &[("title", ""), ("industry", "纺织行业"), ("budget", "-5")]).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("不是国民经济行业分类"), "unknown industry named");
    assert!(page.contains("此项为必填"));
    assert_eq!(need_count(&app).await, before);

    let mut form = need_form("涤棉色织布染色缸差控制", "纺织业");
    form.push(("submit", "1"));
    let r = app.post(&qiye, "/match/needs", &form).await;
    assert_eq!(r.status(), 303);
    let id: i64 = r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let n = app.store.get_need(&sys(), id).await.unwrap();
    assert_eq!(n.status(), NeedStatus::Submitted);
    let qiye_actor = app.actor("qiye").await;
    assert!(app.store.get_need(&qiye_actor, id).await.is_ok(), "the enterprise sees its own need");
    assert_eq!(app.get(&expert, &format!("/match/needs/{id}")).await.status(), 404, "unreviewed needs are hidden");

    // Sending back needs a reason; then the enterprise edits and submits again; then approval.
    let (_, queue) = app.get_text(&staff, "/match/needs?status=submitted").await;
    assert!(ids(&queue, "/match/needs").contains(&id));
    let r = app.post(&staff, &format!("/match/needs/{id}/step"), &[("step", "reject")]).await;
    assert_eq!(r.status(), 422);
    let r = app
        .post(
            &staff,
            &format!("/match/needs/{id}/step"),
            &[("step", "reject"), ("review_note", "请补充现有染色工艺参数")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.store.get_need(&sys(), id).await.unwrap().status(), NeedStatus::Rejected);
    let r = app.post(&qiye, &format!("/match/needs/{id}/step"), &[("step", "approve")]).await;
    assert_eq!(r.status(), 422, "an enterprise cannot approve its own need");
    let mut edited = need_form("涤棉色织布染色缸差控制", "纺织业");
    edited[3].1 = "公司主要生产涤棉混纺色织布，采用活性染料冷轧堆染色，浴比1:8。";
    assert_eq!(app.post(&qiye, &format!("/match/needs/{id}"), &edited).await.status(), 303);
    assert_eq!(app.post(&qiye, &format!("/match/needs/{id}/step"), &[("step", "submit")]).await.status(), 303);
    assert_eq!(app.post(&staff, &format!("/match/needs/{id}/step"), &[("step", "approve")]).await.status(), 303);
    assert_eq!(app.store.get_need(&sys(), id).await.unwrap().status(), NeedStatus::Approved);

    // Ranked experts with what matched, the same list through the API.
    let (status, page) = app.get_text(&staff, &format!("/match/needs/{id}")).await;
    assert_eq!(status, 200);
    let ranked = ids(&page, "/match/experts");
    assert!(ranked.len() >= 5, "experts are suggested");
    assert!(page.contains("匹配依据"));
    let token = app.token_for("staff").await;
    let api: serde_json::Value = app
        .client()
        .get(app.url(&format!("/api/v1/needs/{id}/experts?limit=5")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let api_ids: Vec<i64> = api.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(api_ids, ranked[..5], "page and API rank alike");
    assert!(!api[0]["explanation"]["terms"].as_array().unwrap().is_empty());
    // The top expert's profile works in dyeing: the ranking read the plain-language symptom.
    let top = app.store.get_expert(&sys(), api_ids[0]).await.unwrap();
    let profile = format!("{:?}", top.profile);
    assert!(["染", "色", "纺织"].iter().any(|w| profile.contains(w)), "{profile}");

    // Approved: experts see it now; the enterprise's edit sends it back to review.
    assert_eq!(app.get(&expert, &format!("/match/needs/{id}")).await.status(), 200);
    assert_eq!(app.post(&qiye, &format!("/match/needs/{id}"), &edited).await.status(), 303);
    assert_eq!(app.store.get_need(&sys(), id).await.unwrap().status(), NeedStatus::Submitted);
    app.cleanup().await;
}

#[tokio::test]
async fn declared_conflicts_exclude_an_expert_from_the_enterprises_rankings() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let need = app
        .store
        .list_needs(
            &sys(),
            &NeedFilter { status: Some(NeedStatus::Approved), ..Default::default() },
            PageRequest::new(Some(1), Some(1)),
        )
        .await
        .unwrap()
        .items
        .remove(0);
    let ranked = app.store.rank_experts_for_need(&sys(), need.need.id, 10).await.unwrap();
    let top = ranked[0].expert_id;
    let r = app
        .post(
            &staff,
            &format!("/match/experts/{top}/conflicts"),
            &[("org_code", &need.enterprise_code), ("reason", "其配偶在该企业任职")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = app.get_text(&staff, &format!("/match/needs/{}", need.need.id)).await;
    assert!(!ids(&page, "/match/experts").contains(&top), "a declared conflict is never suggested");
    let (_, profile) = app.get_text(&staff, &format!("/match/experts/{top}")).await;
    assert!(profile.contains("其配偶在该企业任职"));
    assert!(!ids(&profile, "/match/needs").contains(&need.need.id), "nor the need to the expert");
    // The same declaration twice is refused; an unknown organisation is named.
    assert_eq!(
        app.post(&staff, &format!("/match/experts/{top}/conflicts"), &[("org_code", &need.enterprise_code)])
            .await
            .status(),
        422
    );
    assert_eq!(
        app.post(&staff, &format!("/match/experts/{top}/conflicts"), &[("org_code", "NOPE-1")]).await.status(),
        422
    );
    let conflict = app.store.expert_conflicts(&sys(), top).await.unwrap().pop().unwrap();
    let r = app.post(&staff, &format!("/match/experts/{top}/conflicts/{}/delete", conflict.id), &[]).await;
    assert_eq!(r.status(), 303);
    let again = app.store.rank_experts_for_need(&sys(), need.need.id, 10).await.unwrap();
    assert_eq!(again[0].expert_id, top);
    app.cleanup().await;
}

#[tokio::test]
async fn the_expert_roster_imports_all_or_nothing_and_exports_back_unchanged() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let r = app.get(&staff, "/match/experts/export.xlsx").await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    let rows = kexie_web::xlsx::read_rows(&bytes).unwrap();
    assert_eq!(rows[0], kexie_core::matchmaking::roster::EXPERT_COLUMNS);
    let count = rows.len() - 1;
    assert!(count >= 200);
    let r = upload(&app, &staff, "/match/experts/import", "专家库.xlsx", bytes).await;
    let page = r.text().await.unwrap();
    assert!(page.contains("import-done"), "{page}");
    assert!(page.contains(&format!("<strong>{count}</strong>")), "every row unchanged");

    let header: Vec<String> = kexie_core::matchmaking::roster::EXPERT_COLUMNS.iter().map(|c| c.to_string()).collect();
    let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let good = row(&[
        "",
        "邵明轩",
        "副教授",
        "南通大学机械工程学院",
        "",
        "机械设计；振动与噪声",
        "齿轮箱；降噪；模态分析",
        "研究机械传动系统振动噪声控制。",
        "",
        "是",
        "是",
    ]);
    let bad = row(&["", "钱立新", "教授", "", "", "", "", "", "", "也许", ""]);
    let before =
        app.store.list_experts(&sys(), &Default::default(), PageRequest::new(Some(1), Some(1))).await.unwrap().total;
    let r = upload(&app, &staff, "/match/experts/import", "新增专家.xlsx", xlsx(&[header.clone(), good.clone(), bad]))
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("工作单位") && page.contains("请填写“是”或“否”"), "each bad cell reported");
    let after =
        app.store.list_experts(&sys(), &Default::default(), PageRequest::new(Some(1), Some(1))).await.unwrap().total;
    assert_eq!(after, before, "nothing written");
    let r = upload(&app, &staff, "/match/experts/import", "新增专家.xlsx", xlsx(&[header, good])).await;
    assert_eq!(r.status(), 200);
    let found = app
        .store
        .list_experts(
            &sys(),
            &kexie_store::matchmaking::expert::ExpertFilter { q: "邵明轩".into(), consent: None },
            PageRequest::new(Some(1), Some(5)),
        )
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].profile.keywords, ["齿轮箱", "降噪", "模态分析"]);
    // Enterprises may not import.
    let qiye = app.login("qiye").await;
    assert_eq!(app.get(&qiye, "/match/experts/import").await.status(), 403);
    app.cleanup().await;
}

#[tokio::test]
async fn patents_import_from_gbk_csv_and_link_to_their_inventors() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let e = app.store.get_expert(&sys(), 1).await.unwrap();
    let applicant = e.profile.institution.clone();
    let csv = format!(
        "专利号,专利名称,专利类型,申请人,发明人,授权日\nZL202510654321.X,一种低温活性染料染色方法,发明,{applicant},{}；王晓,2025-08-12\n",
        e.profile.name
    );
    let (gbk, _, _) = encoding_rs::GB18030.encode(&csv);
    let r = upload(&app, &staff, "/match/patents/import", "专利检索结果.csv", gbk.to_vec()).await;
    let page = r.text().await.unwrap();
    assert!(page.contains("import-done"), "{page}");
    assert!(page.contains("其中 1 件关联到专家"));
    let patents = app.store.expert_patents(&sys(), 1).await.unwrap();
    assert!(patents.iter().any(|p| p.number == "ZL202510654321.X"));
    let bad = "专利号,专利名称,专利类型,申请人\n12345,甲,软著,乙\n".as_bytes().to_vec();
    let r = upload(&app, &staff, "/match/patents/import", "坏文件.csv", bad).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("专利号格式不对") && page.contains("专利类型应为"), "{page}");
    app.cleanup().await;
}

#[tokio::test]
async fn an_event_is_planned_or_refused_with_reasons_then_adjusted_published_and_checked_in() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    assert_eq!(
        app.post(&staff, "/match/events", &[("name", ""), ("slots", "99"), ("starts_at", "9点")]).await.status(),
        422
    );
    let r = app
        .post(
            &staff,
            "/match/events",
            &[
                ("name", "测试对接会"),
                ("held_on", "2027-03-18"),
                ("starts_at", "09:00"),
                ("slots", "3"),
                ("slot_minutes", "20"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let id: i64 = r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let approved = app
        .store
        .list_needs(
            &sys(),
            &NeedFilter { status: Some(NeedStatus::Approved), ..Default::default() },
            PageRequest::new(Some(1), Some(50)),
        )
        .await
        .unwrap()
        .items;
    // Three needs of three different enterprises, and the experts who rank best for them.
    let mut needs = Vec::new();
    for n in &approved {
        if needs.iter().all(|m: &kexie_store::matchmaking::need::NeedView| m.need.org_id != n.need.org_id) {
            needs.push(n.clone());
        }
        if needs.len() == 3 {
            break;
        }
    }
    let mut experts = Vec::new();
    for n in &needs {
        for r in app.store.rank_experts_for_need(&sys(), n.need.id, 3).await.unwrap() {
            if !experts.contains(&r.expert_id) {
                experts.push(r.expert_id);
            }
        }
    }
    for n in &needs {
        let r = app
            .post(&staff, &format!("/match/events/{id}/needs"), &[("need_id", &n.need.id.to_string()), ("wanted", "2")])
            .await;
        assert_eq!(r.status(), 303);
    }
    assert_eq!(
        app.post(
            &staff,
            &format!("/match/events/{id}/needs"),
            &[("need_id", &needs[0].need.id.to_string()), ("wanted", "2")]
        )
        .await
        .status(),
        422,
        "a need comes once"
    );
    // One expert taking one meeting cannot serve three enterprises wanting two each.
    let r = app
        .post(
            &staff,
            &format!("/match/events/{id}/experts"),
            &[("expert_id", &experts[0].to_string()), ("max_meetings", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app.post(&staff, &format!("/match/events/{id}/plan"), &[]).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("plan-issues"));
    assert!(needs.iter().any(|n| page.contains(&n.enterprise_name)), "the enterprises that cannot be served are named");
    for e in experts.iter().skip(1) {
        app.post(
            &staff,
            &format!("/match/events/{id}/experts"),
            &[("expert_id", &e.to_string()), ("max_meetings", "3")],
        )
        .await;
    }
    let r = app.post(&staff, &format!("/match/events/{id}/plan"), &[]).await;
    let page = r.text().await.unwrap();
    assert!(page.contains("plan-done"), "{page}");
    let v = app.store.get_event(&sys(), id).await.unwrap();
    assert_eq!(v.meetings.len(), 6, "each enterprise gets its two meetings");
    assert!(v.clashes.is_empty(), "nobody is double-booked");

    // Moving a meeting onto another of the same expert's slots shows the clash.
    let (a, b) = v
        .meetings
        .iter()
        .flat_map(|a| v.meetings.iter().map(move |b| (a, b)))
        .find(|(a, b)| a.id != b.id && a.expert_id == b.expert_id)
        .or_else(|| {
            v.meetings
                .iter()
                .flat_map(|a| v.meetings.iter().map(move |b| (a, b)))
                .find(|(a, b)| a.id != b.id && a.org_id == b.org_id)
        })
        .expect("someone has two meetings");
    let r = app
        .post(
            &staff,
            &format!("/match/events/{id}/meetings/{}", a.id),
            &[("slot", &(b.slot + 1).to_string()), ("expert_id", &a.expert_id.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = app.get_text(&staff, &format!("/match/events/{id}")).await;
    assert!(page.contains("id=\"clashes\""));
    app.post(
        &staff,
        &format!("/match/events/{id}/meetings/{}", a.id),
        &[("slot", &(a.slot + 1).to_string()), ("expert_id", &a.expert_id.to_string())],
    )
    .await;

    // Check-in opens with publication; both sides there make the engagement a visit.
    assert_eq!(
        app.post(&staff, &format!("/match/events/{id}/meetings/{}/check-in", a.id), &[("side", "expert")])
            .await
            .status(),
        422
    );
    assert_eq!(app.post(&staff, &format!("/match/events/{id}/publish"), &[]).await.status(), 303);
    assert_eq!(
        app.post(&staff, &format!("/match/events/{id}/plan"), &[]).await.status(),
        422,
        "published plans are final"
    );
    for side in ["expert", "enterprise"] {
        let r = app.post(&staff, &format!("/match/events/{id}/meetings/{}/check-in", a.id), &[("side", side)]).await;
        assert_eq!(r.status(), 303);
    }
    assert_eq!(
        app.post(&staff, &format!("/match/events/{id}/meetings/{}/check-in", a.id), &[("side", "expert")])
            .await
            .status(),
        422
    );
    let visits = app
        .store
        .list_engagements(
            &sys(),
            &kexie_store::matchmaking::engagement::EngagementFilter {
                need_id: Some(a.need_id),
                expert_id: Some(a.expert_id),
                ..Default::default()
            },
            PageRequest::new(Some(1), Some(5)),
        )
        .await
        .unwrap();
    assert_eq!(visits.items[0].engagement.stage, "visited");
    // Printable schedules per expert.
    let (status, page) = app.get_text(&staff, &format!("/match/events/{id}/schedule?expert={}", a.expert_id)).await;
    assert_eq!(status, 200);
    assert!(page.contains(&a.enterprise));
    app.cleanup().await;
}

#[tokio::test]
async fn engagements_move_forward_into_the_figures() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let need = app
        .store
        .list_needs(
            &sys(),
            &NeedFilter { status: Some(NeedStatus::Approved), ..Default::default() },
            PageRequest::new(Some(1), Some(1)),
        )
        .await
        .unwrap()
        .items
        .remove(0);
    let ranked = app.store.rank_experts_for_need(&sys(), need.need.id, 20).await.unwrap();
    let existing = app.store.engagement_figures(&sys()).await.unwrap().total;
    // An expert not yet engaged on this need.
    let mut chosen = None;
    for r in &ranked {
        let f = kexie_store::matchmaking::engagement::EngagementFilter {
            need_id: Some(need.need.id),
            expert_id: Some(r.expert_id),
            ..Default::default()
        };
        if app.store.list_engagements(&sys(), &f, PageRequest::new(Some(1), Some(1))).await.unwrap().total == 0 {
            chosen = Some(r.expert_id);
            break;
        }
    }
    let expert = chosen.expect("a ranked expert without an engagement");
    let r =
        app.post(&staff, &format!("/match/needs/{}/engage", need.need.id), &[("expert_id", &expert.to_string())]).await;
    assert_eq!(r.status(), 303);
    let path = r.headers()["location"].to_str().unwrap().to_string();
    let step = format!("{path}/step");
    assert_eq!(app.post(&staff, &step, &[("stage", "agreed")]).await.status(), 422, "an agreement has a value");
    assert_eq!(app.post(&staff, &step, &[("stage", "visited"), ("follow_up_on", "2020-01-01")]).await.status(), 422);
    assert_eq!(app.post(&staff, &step, &[("stage", "agreed"), ("contract_wan", "35")]).await.status(), 303);
    assert_eq!(app.post(&staff, &step, &[("stage", "contacted")]).await.status(), 422, "never back");
    assert_eq!(app.post(&staff, &step, &[("stage", "concluded")]).await.status(), 422, "a conclusion has an outcome");
    assert_eq!(app.post(&staff, &step, &[("stage", "concluded"), ("outcome", "solved")]).await.status(), 303);
    let now = app.store.engagement_figures(&sys()).await.unwrap().total;
    assert_eq!(now.engagements, existing.engagements + 1);
    assert_eq!(now.contract_wan, existing.contract_wan + 35);
    assert_eq!(now.solved, existing.solved + 1);
    let (status, page) = app.get_text(&staff, "/match").await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("data-stat=\"solved\">{}<", now.solved)));
    // Follow-ups that have come are counted and listed.
    let due = kexie_store::matchmaking::engagement::EngagementFilter { due: true, ..Default::default() };
    let due = app.store.list_engagements(&sys(), &due, PageRequest::new(Some(1), Some(500))).await.unwrap();
    assert!(due.total > 0, "the demo has follow-ups due");
    assert!(page.contains(&format!("data-stat=\"due\">{}<", due.total)));
    let today = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
    assert!(due.items.iter().all(|e| e.engagement.follow_up_on.is_some_and(|d| d <= today)));
    // A town officer sees its towns' engagements only.
    let jinsha = app.actor("jinsha").await;
    let seen =
        app.store.list_engagements(&jinsha, &Default::default(), PageRequest::new(Some(1), Some(500))).await.unwrap();
    assert!(
        seen.items.iter().all(|e| e.town == "金沙街道"),
        "{:?}",
        seen.items.iter().map(|e| &e.town).collect::<Vec<_>>()
    );
    app.cleanup().await;
}

#[tokio::test]
async fn needs_export_in_the_kczg_layout_with_contacts_masked_for_towns() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let r = app.get(&staff, "/match/needs/export.xlsx?status=approved").await;
    assert_eq!(r.status(), 200);
    let rows = kexie_web::xlsx::read_rows(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(rows[0], kexie_core::matchmaking::roster::NEED_EXPORT_COLUMNS);
    let approved = app
        .store
        .list_needs(
            &sys(),
            &NeedFilter { status: Some(NeedStatus::Approved), ..Default::default() },
            PageRequest::new(Some(1), Some(1)),
        )
        .await
        .unwrap()
        .total;
    assert_eq!(rows.len() as u64 - 1, approved);
    assert!(rows[1..].iter().all(|r| r[1].ends_with("需求") && !r[3].is_empty()));
    let town = app.login("jinsha").await;
    let rows =
        kexie_web::xlsx::read_rows(&app.get(&town, "/match/needs/export.xlsx").await.bytes().await.unwrap()).unwrap();
    assert!(rows[1..].iter().all(|r| r[12].is_empty() || r[12].contains('*')), "phones masked");
    app.cleanup().await;
}

#[tokio::test]
async fn experts_join_workstations_with_their_projects_and_results() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let stations = app
        .store
        .list_orgs(
            &sys(),
            &kexie_store::org::OrgFilter {
                kind: Some(kexie_core::org::OrgKind::ExpertWorkstation),
                ..Default::default()
            },
            PageRequest::new(Some(1), Some(50)),
        )
        .await
        .unwrap()
        .items;
    let members = app.store.workstation_members(&sys(), None, None).await.unwrap();
    assert!(
        stations.iter().all(|s| members.iter().any(|m| m.workstation_id == s.org.id)),
        "every workstation has experts"
    );
    // An expert who is not yet in the first workstation.
    let station = &stations[0].org;
    let expert = (1..).find(|e| !members.iter().any(|m| m.workstation_id == station.id && m.expert_id == *e)).unwrap();
    let path = format!("/match/experts/{expert}/workstations");
    let r = app.post(&staff, &path, &[("workstation_code", "XH-0001"), ("project", "新型纺纱工艺")]).await;
    assert_eq!(r.status(), 422, "a society is not a workstation");
    assert!(r.text().await.unwrap().contains("该组织不是专家工作站"));
    let fields = [
        ("workstation_code", station.code.as_str()),
        ("project", "高支紧密纺纱线毛羽控制"),
        ("result", "成纱毛羽指数下降30%，申请发明专利1件"),
        ("joined_on", "2025-03-01"),
    ];
    assert_eq!(app.post(&staff, &path, &fields).await.status(), 303);
    assert_eq!(app.post(&staff, &path, &fields).await.status(), 422, "once per workstation");
    let (_, page) = app.get_text(&staff, "/match/workstations").await;
    assert!(page.contains("成纱毛羽指数下降30%"));
    assert!(page.contains(&station.name));
    // Only the association keeps workstations.
    let expert_client = app.login("expert").await;
    assert_eq!(app.post(&expert_client, &path, &fields).await.status(), 403);
    app.cleanup().await;
}
