//! The two languages: Chinese first, English second. The choice lives in a cookie; error codes
//! and enumerations are translated here, never in the store.

use axum::http::HeaderMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Lang {
    Zh,
    En,
}

pub const COOKIE: &str = "kexie_lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "zh-CN" | "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
    /// The cookie decides; without it, Chinese: the platform is Chinese first, whatever
    /// language a browser was installed with.
    pub fn from_headers(h: &HeaderMap) -> Self {
        crate::auth::cookie(h, COOKIE).and_then(|v| Lang::parse(&v)).unwrap_or(Lang::Zh)
    }
    /// How numbers are written for this language (万 or K).
    pub fn numerals(self) -> kexie_core::number::Numerals {
        match self {
            Lang::Zh => kexie_core::number::Numerals::Chinese,
            Lang::En => kexie_core::number::Numerals::English,
        }
    }
    pub fn other(self) -> Self {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    pub fn t(self, key: &str) -> String {
        rust_i18n::t!(key, locale = self.code()).into_owned()
    }

    /// A translation with `%{name}` placeholders filled.
    pub fn t_with(self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.t(key);
        for (k, v) in args {
            s = s.replace(&format!("%{{{k}}}"), v);
        }
        s
    }

    /// The key for a count of `n`: `<key>_one` when `n` is one and the locale has that form
    /// (English "1 piece"), else `key`.
    pub fn plural(self, key: &str, n: f64) -> String {
        let one = format!("{key}_one");
        if n == 1.0 && self.t(&one) != one { one } else { key.to_string() }
    }

    /// An error code as a sentence; unknown codes fall back to a generic message.
    pub fn error(self, code: &str, arg: Option<&str>) -> String {
        let key = format!("error.{code}");
        let s = self.t(&key);
        if s == key {
            return self.t_with("error.unknown", &[("code", code)]);
        }
        s.replace("%{arg}", arg.unwrap_or(""))
    }

    /// A roster row's problem as a sentence: its limit where it has one, else the cell's value.
    pub fn row_error(self, e: &kexie_core::roster::RowError) -> String {
        self.error(e.code, Some(e.arg.as_deref().unwrap_or(&e.value)))
    }

    /// The label of an enumeration value (`org_kind.society`, `role.town_officer`, …).
    pub fn label(self, group: &str, code: &str) -> String {
        let key = format!("{group}.{code}");
        let s = self.t(&key);
        if s == key { code.to_string() } else { s }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages() {
        let zh: serde_yaml_like::Map = serde_yaml_like::load(include_str!("../locales/zh-CN.yml"));
        let en: serde_yaml_like::Map = serde_yaml_like::load(include_str!("../locales/en.yml"));
        let missing_en: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        let missing_zh: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        assert!(missing_en.is_empty(), "missing in en.yml: {missing_en:?}");
        assert!(missing_zh.is_empty(), "missing in zh-CN.yml: {missing_zh:?}");
    }

    #[test]
    fn errors_translate_with_arguments() {
        assert_eq!(Lang::Zh.error("too_long", Some("100")), "不能超过 100 个字");
        assert!(Lang::En.error("too_long", Some("100")).contains("100"));
        assert!(Lang::Zh.error("no_such_code_anywhere", None).contains("no_such_code_anywhere"));
    }

    fn cjk(c: char) -> bool {
        matches!(c, '\u{3400}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
    }

    /// English pages are English: a Chinese character in en.yml is a translation left undone,
    /// except in these keys, which name what a user types or a platform by its Chinese name.
    #[test]
    fn english_locale_holds_no_chinese() {
        const INTENDED: &[&str] = &[
            "app.other_language",
            "orgs.search_placeholder",
            "orgs.kczg_on",
            "error.unknown_status",
            "import.hint_people",
            "import.columns_hint_orgs",
            "needs.export",
            "needs.form_hint",
            "needs.industry_hint",
            "experts.title_hint",
            "experts.list_hint",
            "events.name_hint",
            "import.hint_experts",
            "import.columns_hint_experts",
            "import.columns_hint_patents",
            "error.bad_yes_no",
            "error.unknown_patent_kind",
            "import.columns_hint_stations",
            "error.yes_no",
            "ot.dist_resource_hint",
            "error.stats_unknown_format",
            "ot.count_hint",
            "ot.search_placeholder",
            "act.co_organisers_hint",
            "import.columns_hint_volunteers",
        ];
        let en = serde_yaml_like::load(include_str!("../locales/en.yml"));
        let left: Vec<_> =
            en.iter().filter(|(k, v)| !INTENDED.contains(&k.as_str()) && v.chars().any(cjk)).map(|(k, _)| k).collect();
        assert!(left.is_empty(), "Chinese in en.yml: {left:?}");
    }

    /// Chinese sentences take Chinese punctuation: no ASCII `,` `:` `;` `(` `)` next to a
    /// Chinese character.
    #[test]
    fn chinese_locale_uses_chinese_punctuation() {
        let zh = serde_yaml_like::load(include_str!("../locales/zh-CN.yml"));
        let ascii = |c: char| matches!(c, ',' | ':' | ';' | '(' | ')');
        let bad: Vec<_> = zh
            .iter()
            .filter(|(_, v)| {
                let cs: Vec<char> = v.chars().filter(|c| *c != ' ').collect();
                cs.windows(2).any(|w| (cjk(w[0]) && ascii(w[1])) || (ascii(w[0]) && cjk(w[1])))
            })
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        assert!(bad.is_empty(), "ASCII punctuation in Chinese: {bad:#?}");
    }

    /// Templates say nothing in Chinese themselves: words come from the locale files. The
    /// certificate is a Chinese legal document (民政部令第67号) and is left whole; the brand
    /// mark 科 is the logo; the API page's example query is data.
    #[test]
    fn templates_hold_no_chinese_words_outside_locale_lookups() {
        const INTENDED: &[&str] =
            &["volunteer/certificate.html", "base.html", "login.html", "public.html", "api/docs.html"];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut bad = Vec::new();
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let name = p.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
                if INTENDED.contains(&name.as_str()) {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                let words: String =
                    outside_tags(&text).chars().filter(|c| ('\u{3400}'..='\u{9fff}').contains(c)).collect();
                if !words.is_empty() {
                    bad.push(format!("{name}: {words}"));
                }
            }
        }
        assert!(bad.is_empty(), "Chinese written into templates: {bad:#?}");
    }

    /// A template's text with its `{{ }}`, `{% %}` and `{# #}` tags taken out.
    fn outside_tags(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(at) = rest.find(['{']) {
            out.push_str(&rest[..at]);
            let close = match rest[at..].chars().nth(1) {
                Some('{') => "}}",
                Some('%') => "%}",
                Some('#') => "#}",
                _ => {
                    out.push('{');
                    rest = &rest[at + 1..];
                    continue;
                }
            };
            match rest[at..].find(close) {
                Some(end) => rest = &rest[at + end + 2..],
                None => return out,
            }
        }
        out.push_str(rest);
        out
    }

    /// Every action and kind of record the store can write to the audit log has a label in
    /// both languages, and every one the store's code names is in the lists: a new write
    /// whose action or kind has no label fails here.
    #[test]
    fn every_audited_action_and_kind_has_a_label() {
        use kexie_core::audit::{ACTIONS, ENTITIES};
        for lang in [Lang::Zh, Lang::En] {
            for a in ACTIONS {
                assert_ne!(lang.label("audit_action", a), *a, "{lang:?} audit_action.{a}");
            }
            for e in ENTITIES {
                assert_ne!(lang.label("entity", e), *e, "{lang:?} entity.{e}");
            }
        }
        // The literals the store passes to `Chain::record` (and to the suggestion's `step`,
        // which records for it): action, then entity.
        let store = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/src");
        let mut stack = vec![store];
        let mut seen = 0;
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                for (action, entity) in recorded(&text) {
                    seen += 1;
                    for a in &action {
                        assert!(
                            ACTIONS.contains(&a.as_str()),
                            "{}: action {a} not in core::audit::ACTIONS",
                            p.display()
                        );
                    }
                    if let Some(e) = entity {
                        assert!(
                            ENTITIES.contains(&e.as_str()),
                            "{}: entity {e} not in core::audit::ENTITIES",
                            p.display()
                        );
                    }
                }
            }
        }
        assert!(seen > 100, "the store's audit calls were found ({seen})");
    }

    /// The string literals of the action argument, and the entity literal, of each
    /// `.record(txn, actor, action, entity, …)` and `self.step(actor, id, step, action, …)`.
    fn recorded(src: &str) -> Vec<(Vec<String>, Option<String>)> {
        let mut out = Vec::new();
        for (call, action_at, entity_at) in [(".record(", 2, Some(3)), ("self.step(", 3, None)] {
            let mut rest = src;
            while let Some(at) = rest.find(call) {
                rest = &rest[at + call.len()..];
                let args = top_level_args(rest);
                let literals = |i: usize| -> Vec<String> {
                    args.get(i)
                        .map(|a| a.split('"').skip(1).step_by(2).map(str::to_string).collect())
                        .unwrap_or_default()
                };
                if args.len() > action_at {
                    out.push((literals(action_at), entity_at.and_then(|i| literals(i).into_iter().next())));
                }
            }
        }
        out
    }

    /// A call's arguments up to its closing parenthesis, split at top-level commas.
    fn top_level_args(s: &str) -> Vec<&str> {
        let (mut depth, mut start, mut args) = (0i32, 0, Vec::new());
        let mut in_str = false;
        for (i, c) in s.char_indices() {
            match c {
                '"' => in_str = !in_str,
                _ if in_str => {}
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => {
                    args.push(s[start..i].trim());
                    return args;
                }
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    args.push(s[start..i].trim());
                    start = i + 1;
                }
                _ => {}
            }
        }
        args
    }

    /// The locale files are flat `key: "value"` lines; this reads just that, to compare keys.
    mod serde_yaml_like {
        pub type Map = std::collections::BTreeMap<String, String>;
        pub fn load(s: &str) -> Map {
            s.lines()
                .filter(|l| !l.trim_start().starts_with('#') && !l.starts_with("_version"))
                .filter_map(|l| l.split_once(": "))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect()
        }
    }
}
