use super::*;

fn doc(kind: Kind, id: i64, title: &str, body: &str) -> Doc {
    Doc::new(kind, id, title, body)
}

fn index_with(docs: Vec<Doc>) -> Index {
    let index = Index::in_memory().unwrap();
    index.upsert(docs).unwrap();
    index
}

fn ids(index: &Index, q: &Query) -> Vec<i64> {
    index.search(q).unwrap().hits.iter().map(|h| h.id).collect()
}

fn text_ids(index: &Index, text: &str) -> Vec<i64> {
    ids(index, &Query::new(text))
}

#[test]
fn index_is_send_and_sync() {
    fn is<T: Send + Sync>() {}
    is::<Index>();
}

#[test]
fn word_inside_a_long_word_is_found() {
    // Meilisearch users' classic: 农业 did not find 中国农业发展银行.
    let index = index_with(vec![
        doc(Kind::Content, 1, "政策性金融支持春耕", "中国农业发展银行通州支行向农户发放贷款。"),
        doc(Kind::Content, 2, "城市绿化", "街道新增口袋公园三处。"),
    ]);
    assert_eq!(text_ids(&index, "农业"), [1]);
    assert_eq!(text_ids(&index, "银行"), [1]);
    assert_eq!(text_ids(&index, "中国农业发展银行"), [1]);
    // Four characters or more: also found through the words inside.
    assert_eq!(text_ids(&index, "农业发展"), [1]);
}

#[test]
fn part_of_a_phrase_is_found() {
    // The other classic: 简单 did not find 安装简单.
    let index = index_with(vec![
        doc(Kind::Content, 1, "家用净水器选购", "这款设备安装简单，滤芯半年一换。"),
        doc(Kind::Content, 2, "净水器原理", "反渗透膜去除水中杂质。"),
    ]);
    assert_eq!(text_ids(&index, "简单"), [1]);
    assert_eq!(text_ids(&index, "安装简单"), [1]);
}

#[test]
fn all_words_are_required_and_title_matches_rank_first() {
    let index = index_with(vec![
        doc(Kind::Content, 1, "高血压的饮食", "少盐少油。"),
        doc(Kind::Content, 2, "社区健康讲座", "医生讲解糖尿病患者的饮食原则，控制主食总量。"),
        doc(Kind::Content, 3, "糖尿病饮食指南", "糖尿病患者应定时定量进餐，注意饮食搭配。"),
        doc(Kind::Content, 4, "糖尿病的早期信号", "多饮多尿，体重下降。"),
    ]);
    let hits = index.search(&Query::new("糖尿病 饮食")).unwrap();
    assert_eq!(hits.total, 2);
    assert_eq!(hits.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [3, 2]);
    assert!(hits.hits[0].score > hits.hits[1].score);
    // Without the space, and with function words, it is the same query.
    assert_eq!(text_ids(&index, "糖尿病饮食"), [3, 2]);
    assert_eq!(text_ids(&index, "糖尿病的饮食"), [3, 2]);
    assert_eq!(text_ids(&index, "如何控制糖尿病"), [2]);
    assert!(text_ids(&index, "糖尿病 不存在的词汇").is_empty());
}

#[test]
fn tags_are_searchable() {
    let mut d = doc(Kind::Need, 7, "技术需求", "寻求合作。");
    d.tags = vec!["水稻".into(), "病虫害".into()];
    let index = index_with(vec![d]);
    assert_eq!(text_ids(&index, "水稻 病虫害"), [7]);
}

#[test]
fn kind_filter() {
    let index = index_with(vec![
        doc(Kind::Content, 1, "防汛知识", "汛期注意安全。"),
        doc(Kind::Suggestion, 1, "加强防汛宣传", "建议村里多发通知。"),
        doc(Kind::Need, 2, "防汛物资需求", "需要沙袋。"),
        doc(Kind::Expert, 3, "水利专家", "长期从事防汛工作。"),
    ]);
    let mut q = Query::new("防汛");
    assert_eq!(index.search(&q).unwrap().total, 4);
    q.kinds = vec![Kind::Suggestion];
    let hits = index.search(&q).unwrap();
    assert_eq!((hits.total, hits.hits[0].kind, hits.hits[0].id), (1, Kind::Suggestion, 1));
    q.kinds = vec![Kind::Need, Kind::Expert];
    let mut found: Vec<_> = index.search(&q).unwrap().hits.iter().map(|h| (h.kind, h.id)).collect();
    found.sort();
    assert_eq!(found, [(Kind::Need, 2), (Kind::Expert, 3)]);
}

#[test]
fn region_scope() {
    let mut docs = Vec::new();
    for (id, region) in [(1, Some(10)), (2, Some(11)), (3, Some(12)), (4, None)] {
        let mut d = doc(Kind::Content, id, "科普讲座", "地震避险知识。");
        d.region_id = region;
        docs.push(d);
    }
    let index = index_with(docs);
    let mut q = Query::new("地震");
    assert_eq!(index.search(&q).unwrap().total, 4);
    q.regions = Some(vec![10, 12]);
    let mut found = ids(&index, &q);
    found.sort();
    assert_eq!(found, [1, 3]);
    q.regions = Some(vec![]);
    assert_eq!(index.search(&q).unwrap().total, 0);
}

#[test]
fn public_only_and_status() {
    let mut a = doc(Kind::Content, 1, "疫苗接种", "流感疫苗。");
    a.status = "published".into();
    let mut b = doc(Kind::Content, 2, "疫苗接种草稿", "流感疫苗。");
    b.public = false;
    b.status = "draft".into();
    let index = index_with(vec![a, b]);
    let mut q = Query::new("疫苗");
    assert_eq!(index.search(&q).unwrap().total, 2);
    q.public_only = true;
    assert_eq!(ids(&index, &q), [1]);
    q.public_only = false;
    q.status = Some("draft".into());
    assert_eq!(ids(&index, &q), [2]);
    q.status = Some("archived".into());
    assert_eq!(index.search(&q).unwrap().total, 0);
}

#[test]
fn upsert_replaces_by_kind_and_id() {
    let index = index_with(vec![doc(Kind::Content, 1, "旧标题", "消防安全"), doc(Kind::Need, 1, "需求", "消防安全")]);
    assert_eq!(index.len(), 2);
    index.upsert(vec![doc(Kind::Content, 1, "新标题", "航天科普")]).unwrap();
    assert_eq!(index.len(), 2);
    let hits = index.search(&Query::new("消防")).unwrap();
    assert_eq!(hits.hits.iter().map(|h| h.kind).collect::<Vec<_>>(), [Kind::Need]);
    let hits = index.search(&Query::new("航天")).unwrap();
    assert_eq!(hits.total, 1);
    assert_eq!(hits.hits[0].title_html, "新标题");
    // The same pair twice in one batch: the last one wins.
    index.upsert(vec![doc(Kind::Expert, 5, "甲", "光伏"), doc(Kind::Expert, 5, "乙", "光伏")]).unwrap();
    let hits = index.search(&Query::new("光伏")).unwrap();
    assert_eq!((hits.total, hits.hits[0].title_html.as_str()), (1, "乙"));
}

#[test]
fn delete_and_clear_kind() {
    let index = index_with(vec![
        doc(Kind::Content, 1, "反诈宣传", "防范电信诈骗。"),
        doc(Kind::Content, 2, "反诈课堂", "老人防骗。"),
        doc(Kind::Suggestion, 3, "反诈建议", "多进社区。"),
    ]);
    index.delete(Kind::Content, 1).unwrap();
    index.delete(Kind::Content, 99).unwrap();
    let mut found: Vec<_> = index.search(&Query::new("反诈")).unwrap().hits.iter().map(|h| h.id).collect();
    found.sort();
    assert_eq!(found, [2, 3]);
    index.clear_kind(Kind::Content).unwrap();
    assert_eq!(text_ids(&index, "反诈"), [3]);
    assert_eq!(index.len(), 1);
}

#[test]
fn highlights_are_marked_and_everything_else_escaped() {
    let index = index_with(vec![doc(
        Kind::Suggestion,
        1,
        "<script>alert('农业')</script> & 农业",
        "<b>粗体</b> 中国农业发展银行 <img src=x onerror=alert(1)>",
    )]);
    let hit = &index.search(&Query::new("农业")).unwrap().hits[0];
    assert_eq!(
        hit.title_html,
        "&lt;script&gt;alert(&#39;<mark>农业</mark>&#39;)&lt;/script&gt; &amp; <mark>农业</mark>"
    );
    assert!(hit.snippet_html.contains("中国<mark>农业</mark>发展银行"), "{}", hit.snippet_html);
    assert!(hit.snippet_html.contains("&lt;img src=x onerror=alert(1)&gt;"), "{}", hit.snippet_html);
    assert!(!hit.snippet_html.contains("<b>") && !hit.snippet_html.contains("<img"));
    // A whole long word is marked once, not as overlapping pieces.
    let hit = &index.search(&Query::new("中国农业发展银行")).unwrap().hits[0];
    assert!(hit.snippet_html.contains("<mark>中国农业发展银行</mark>"), "{}", hit.snippet_html);
}

#[test]
fn snippet_is_a_short_passage_around_the_match() {
    let filler = "居民们积极参与本次活动，现场气氛热烈。".repeat(20);
    let body = format!("{filler}专家提醒，地震发生时应就近躲避。{filler}");
    let index = index_with(vec![doc(Kind::Content, 1, "安全知识", &body)]);
    let hit = &index.search(&Query::new("地震")).unwrap().hits[0];
    assert!(hit.snippet_html.contains("<mark>地震</mark>"));
    assert!(hit.snippet_html.starts_with('…') && hit.snippet_html.ends_with('…'), "{}", hit.snippet_html);
    assert!(hit.snippet_html.chars().count() < 150, "{}", hit.snippet_html.chars().count());
    // Matched in the title only: the body's beginning.
    let hit = &index.search(&Query::new("安全知识")).unwrap().hits[0];
    assert_eq!(hit.title_html, "<mark>安全知识</mark>");
    assert!(hit.snippet_html.starts_with("居民们积极参与") && hit.snippet_html.ends_with('…'));
}

#[test]
fn query_syntax_is_just_text() {
    let index = index_with(vec![doc(Kind::Content, 1, "糖尿病 AND 饮食", "title:银行 +农业 -发展 (C++)")]);
    for text in [
        "\"农业\"",
        "title:农业",
        "body:(银行 OR 农业)",
        "+农业 -银行",
        "[1 TO 2]",
        "{a TO b}",
        "农业^2 银行~1",
        "c++",
        "*",
        "?",
        "\\",
        "AND OR NOT",
        ":",
        "\"",
        "(",
        "农业)",
        "<script>",
        "' OR 1=1 --",
        "💡",
    ] {
        let result = index.search(&Query::new(text));
        assert!(result.is_ok(), "{text}: {result:?}");
    }
    assert_eq!(text_ids(&index, "title:农业"), [1]);
    assert_eq!(text_ids(&index, "+农业 -银行"), [1]);
    assert_eq!(text_ids(&index, "C++"), [1]);
}

#[test]
fn empty_or_punctuation_text_matches_nothing() {
    let index = index_with(vec![doc(Kind::Content, 1, "标题", "正文")]);
    for text in ["", "   ", "，。！？", "\"\"", "--"] {
        assert_eq!(index.search(&Query::new(text)).unwrap(), Hits::default(), "{text:?}");
    }
}

#[test]
fn paging_and_window_limit() {
    let docs = (1..=25).map(|i| doc(Kind::Content, i, &format!("气象科普第{i}期"), "台风预警信号。")).collect();
    let index = index_with(docs);
    let mut q = Query::new("台风");
    q.limit = 10;
    q.offset = 20;
    let page = index.search(&q).unwrap();
    assert_eq!((page.total, page.hits.len()), (25, 5));
    q.limit = 0;
    let count = index.search(&q).unwrap();
    assert_eq!((count.total, count.hits.len()), (25, 0));
    q.limit = MAX_WINDOW;
    q.offset = 1;
    assert_eq!(index.search(&q).unwrap_err().code(), "search_query");
    let mut all = index.search_keys(&Query::new("台风")).unwrap();
    all.sort();
    assert_eq!(all, (1..=25).map(|i| (Kind::Content, i)).collect::<Vec<_>>());
}

#[test]
fn district_places_are_found_by_name_and_short_name() {
    let index = index_with(vec![
        doc(Kind::Content, 1, "川姜镇家纺企业节能改造", "光伏屋顶。"),
        doc(Kind::Content, 2, "张芝山镇开展防汛演练", "应急队伍集结。"),
    ]);
    assert_eq!(text_ids(&index, "川姜镇"), [1]);
    assert_eq!(text_ids(&index, "川姜"), [1]);
    assert_eq!(text_ids(&index, "张芝山镇 防汛"), [2]);
    assert_eq!(text_ids(&index, "张芝山"), [2]);
}

#[test]
fn on_disk_index_survives_reopen_and_is_rebuilt_on_version_change() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = Index::open_or_create(dir.path()).unwrap();
        let mut d = doc(Kind::Content, 1, "航天科普", "神舟飞船发射成功。");
        d.date = NaiveDate::from_ymd_opt(2025, 4, 24);
        index.upsert(vec![d, doc(Kind::Expert, 2, "航天专家", "火箭推进。")]).unwrap();
    }
    {
        let index = Index::open_or_create(dir.path()).unwrap();
        assert_eq!(index.len(), 2);
        assert_eq!(index.search(&Query::new("航天")).unwrap().total, 2);
        index.delete(Kind::Expert, 2).unwrap();
    }
    let index = Index::open_or_create(dir.path()).unwrap();
    assert_eq!(text_ids(&index, "神舟"), [1]);
    assert_eq!(index.len(), 1);
    drop(index);
    std::fs::write(dir.path().join(VERSION_FILE), "schema 0\n").unwrap();
    let index = Index::open_or_create(dir.path()).unwrap();
    assert_eq!(index.len(), 0);
    index.upsert(vec![doc(Kind::Content, 3, "重建", "索引")]).unwrap();
    assert_eq!(text_ids(&index, "索引"), [3]);
}

#[test]
fn kinds_round_trip() {
    for kind in Kind::ALL {
        assert_eq!(kind.as_str().parse::<Kind>().unwrap(), kind);
        assert_eq!(kind.to_string(), kind.as_str());
    }
    assert_eq!("article".parse::<Kind>().unwrap_err().code(), "search_unknown_kind");
}

#[test]
fn concurrent_searches_and_writes() {
    let index = std::sync::Arc::new(index_with(vec![doc(Kind::Content, 0, "人工智能", "大模型科普")]));
    let writers: Vec<_> = (0..2)
        .map(|t| {
            let index = index.clone();
            std::thread::spawn(move || {
                for i in 0..10 {
                    index.upsert(vec![doc(Kind::Content, t * 100 + i + 1, "人工智能", "机器学习")]).unwrap();
                    assert!(index.search(&Query::new("人工智能")).unwrap().total >= 1);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    assert_eq!(index.search(&Query::new("人工智能")).unwrap().total, 21);
}

#[test]
fn writes_go_on_after_waiting_for_merges() {
    let index = Index::in_memory().unwrap();
    for i in 0..12 {
        index.upsert(vec![doc(Kind::Content, i, "气象科普", "寒潮来袭。")]).unwrap();
    }
    index.wait_for_merges().unwrap();
    assert_eq!(index.search(&Query::new("寒潮")).unwrap().total, 12);
    index.upsert(vec![doc(Kind::Content, 100, "气象科普", "寒潮预警。")]).unwrap();
    index.delete(Kind::Content, 0).unwrap();
    assert_eq!(index.search(&Query::new("寒潮")).unwrap().total, 12);
}

#[test]
fn a_word_split_otherwise_in_the_text_is_still_found_but_ranks_low() {
    let index = index_with(vec![
        doc(Kind::Content, 1, "养生", "人参与每个人的生活息息相关。"),
        doc(Kind::Content, 2, "中药材", "人参是名贵的中药材。"),
        doc(Kind::Content, 3, "讲座", "不少老人参加了现场咨询。"),
    ]);
    let hits = index.search(&Query::new("人参")).unwrap();
    assert_eq!(hits.total, 3);
    assert_eq!(hits.hits[0].id, 2);
    assert_eq!(hits.hits[0].snippet_html, "<mark>人参</mark>是名贵的中药材。");
}

#[test]
fn snippet_skips_places_where_the_characters_are_not_the_word() {
    let filler = "居民们积极参与本次活动，现场气氛热烈。".repeat(20);
    let body = format!("不少老人参加了活动。{filler}人参是名贵的中药材。{filler}");
    let index = index_with(vec![doc(Kind::Content, 1, "讲座", &body)]);
    let hit = &index.search(&Query::new("人参")).unwrap().hits[0];
    assert!(hit.snippet_html.contains("<mark>人参</mark>是名贵的中药材。"), "{}", hit.snippet_html);
    assert!(!hit.snippet_html.contains("老人参加"), "{}", hit.snippet_html);
}

#[test]
fn a_compound_the_dictionary_lacks_is_found_inside_a_sentence() {
    // In the sentence jieba cuts 黑星 / 病; the query keeps 黑星病 whole.
    let index = index_with(vec![
        doc(Kind::Content, 1, "秋季果园病虫害绿色防控要点", "梨树黑星病要在落花后及时喷药。"),
        doc(Kind::Content, 2, "夏季防溺水", "不私自下水游泳。"),
    ]);
    assert_eq!(text_ids(&index, "黑星病"), vec![1]);
    assert_eq!(text_ids(&index, "黑星病 喷药"), vec![1]);
    assert!(text_ids(&index, "黑星病 游泳").is_empty());
}
