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

    /// An error code as a sentence; unknown codes fall back to a generic message.
    pub fn error(self, code: &str, arg: Option<&str>) -> String {
        let key = format!("error.{code}");
        let s = self.t(&key);
        if s == key {
            return self.t_with("error.unknown", &[("code", code)]);
        }
        s.replace("%{arg}", arg.unwrap_or(""))
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
