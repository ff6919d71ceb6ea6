//! Numbers as people read them: counts with thousands separators (171,649), headline figures
//! in 万 and 亿 for Chinese readers (17.2万) or K and M for English ones (172K), hours from
//! minutes, and a unit after the number (条, 人次, 小时 / pieces, person-times, hours) with the
//! English plural right. Exports keep raw numbers: spreadsheets compute with them.

/// The reader's language, as far as numbers care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numerals {
    Chinese,
    English,
}

/// What is counted. Chinese writes the measure word without a plural; English needs one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// 条: pieces of content, suggestions, records.
    Piece,
    /// 人次: reach, attendance.
    PersonTime,
    /// 人: people.
    Person,
    /// 小时: hours.
    Hour,
    /// 分钟: minutes.
    Minute,
    /// 个: stations, screens, teams, needs.
    Item,
    /// 次: plays, services, times something happened.
    Time,
    /// 场: activities and events.
    Event,
    /// 天: days.
    Day,
}

impl Unit {
    /// Every unit, by its code (`piece`, `person_time`, …), for templates.
    pub const ALL: [Unit; 9] = [
        Unit::Piece,
        Unit::PersonTime,
        Unit::Person,
        Unit::Hour,
        Unit::Minute,
        Unit::Item,
        Unit::Time,
        Unit::Event,
        Unit::Day,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Unit::Piece => "piece",
            Unit::PersonTime => "person_time",
            Unit::Person => "person",
            Unit::Hour => "hour",
            Unit::Minute => "minute",
            Unit::Item => "item",
            Unit::Time => "time",
            Unit::Event => "event",
            Unit::Day => "day",
        }
    }

    pub fn parse(code: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.code() == code)
    }

    /// The word after the number: the Chinese measure word, or the English noun in the
    /// singular or plural.
    pub fn word(self, numerals: Numerals, one: bool) -> &'static str {
        let (zh, en_one, en_many) = match self {
            Unit::Piece => ("条", "piece", "pieces"),
            Unit::PersonTime => ("人次", "person-time", "person-times"),
            Unit::Person => ("人", "person", "people"),
            Unit::Hour => ("小时", "hour", "hours"),
            Unit::Minute => ("分钟", "minute", "minutes"),
            Unit::Item => ("个", "item", "items"),
            Unit::Time => ("次", "time", "times"),
            Unit::Event => ("场", "event", "events"),
            Unit::Day => ("天", "day", "days"),
        };
        match (numerals, one) {
            (Numerals::Chinese, _) => zh,
            (Numerals::English, true) => en_one,
            (Numerals::English, false) => en_many,
        }
    }
}

/// An integer with thousands separators: 171649 → `171,649`, as both languages write it in
/// tables and running text.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A decimal with at most `places` digits after the point, trailing zeros dropped, the whole
/// part grouped: 1234.50 → `1,234.5`.
pub fn decimal(x: f64, places: u32) -> String {
    let scale = 10f64.powi(places as i32);
    let scaled = (x.abs() * scale).round();
    let whole = (scaled / scale).trunc();
    let frac = (scaled - whole * scale).round() as u64;
    let sign = if x < 0.0 && scaled > 0.0 { "-" } else { "" };
    let mut s = format!("{sign}{}", grouped(whole as i64));
    if frac > 0 {
        let f = format!("{frac:0width$}", width = places as usize);
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    s
}

/// A headline figure, short enough for a tile: below ten thousand as it is (grouped); above,
/// in 万 or 亿 with one decimal for Chinese readers (171,649 → `17.2万`), and in K or M for
/// English ones (`172K`, `1.7M`).
pub fn headline(n: i64, numerals: Numerals) -> String {
    let x = n as f64;
    let abs = x.abs();
    if abs < 10_000.0 {
        return grouped(n);
    }
    match numerals {
        Numerals::Chinese if abs < 100_000_000.0 => format!("{}万", decimal(x / 10_000.0, 1)),
        Numerals::Chinese => format!("{}亿", decimal(x / 100_000_000.0, 1)),
        Numerals::English if abs < 999_500.0 => format!("{}K", decimal(x / 1_000.0, 0)),
        Numerals::English if abs < 999_950_000.0 => format!("{}M", decimal(x / 1_000_000.0, 1)),
        Numerals::English => format!("{}B", decimal(x / 1_000_000_000.0, 1)),
    }
}

/// Minutes as hours, to a tenth and rounded half up (90 → `1.5`, 1 → `0`), grouped.
pub fn hours(minutes: i64) -> String {
    let tenths = (minutes * 10 + 30).div_euclid(60);
    let whole = grouped(tenths / 10);
    if tenths % 10 == 0 { whole } else { format!("{whole}.{}", tenths % 10) }
}

/// A number followed by its unit: `171,649 人次`, `1 hour`, `3 hours`. The number is already
/// written (grouped, headline or hours); `one` says whether English reads it as singular.
pub fn with_unit(number: &str, unit: Unit, numerals: Numerals) -> String {
    let one = number == "1";
    match numerals {
        // Chinese sets 万 and 亿 against the measure word (17.2万人次); a space otherwise.
        Numerals::Chinese if number.ends_with(['万', '亿']) => format!("{number}{}", unit.word(numerals, one)),
        _ => format!("{number} {}", unit.word(numerals, one)),
    }
}

/// Something a template may print as a number, whatever integer or float type holds it.
pub trait Figure {
    fn as_f64(&self) -> f64;
    /// The value as a whole number, rounded.
    fn as_i64(&self) -> i64 {
        self.as_f64().round() as i64
    }
}

macro_rules! figure_int {
    ($($t:ty),*) => {$(
        impl Figure for $t {
            fn as_f64(&self) -> f64 { *self as f64 }
            fn as_i64(&self) -> i64 { i64::try_from(*self).unwrap_or(i64::MAX) }
        }
    )*};
}
figure_int!(i32, i64, u8, u32, u64, usize);

impl Figure for f64 {
    fn as_f64(&self) -> f64 {
        *self
    }
}

impl<T: Figure + ?Sized> Figure for &T {
    fn as_f64(&self) -> f64 {
        (**self).as_f64()
    }
    fn as_i64(&self) -> i64 {
        (**self).as_i64()
    }
}

impl<T: Figure> Figure for Option<T> {
    /// A figure not known yet reads as nothing counted.
    fn as_f64(&self) -> f64 {
        self.as_ref().map_or(0.0, Figure::as_f64)
    }
    fn as_i64(&self) -> i64 {
        self.as_ref().map_or(0, Figure::as_i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Numerals::{Chinese, English};

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(171_649), "171,649");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(-45_000), "-45,000");
    }

    #[test]
    fn decimals_drop_trailing_zeros() {
        assert_eq!(decimal(1234.5, 1), "1,234.5");
        assert_eq!(decimal(12.0, 1), "12");
        assert_eq!(decimal(0.96, 1), "1");
        assert_eq!(decimal(87.25, 2), "87.25");
        assert_eq!(decimal(-0.04, 1), "0");
    }

    #[test]
    fn headline_figures_in_wan_and_k() {
        assert_eq!(headline(9_999, Chinese), "9,999");
        assert_eq!(headline(171_649, Chinese), "17.2万");
        assert_eq!(headline(10_000, Chinese), "1万");
        assert_eq!(headline(230_000_000, Chinese), "2.3亿");
        assert_eq!(headline(171_649, English), "172K");
        assert_eq!(headline(999_499, English), "999K");
        assert_eq!(headline(999_999, English), "1M");
        assert_eq!(headline(1_660_000, English), "1.7M");
        assert_eq!(headline(4_200_000_000, English), "4.2B");
    }

    #[test]
    fn hours_from_minutes() {
        assert_eq!(hours(0), "0");
        assert_eq!(hours(90), "1.5");
        assert_eq!(hours(60), "1");
        assert_eq!(hours(100), "1.7");
        assert_eq!(hours(60 * 12_480), "12,480");
    }

    #[test]
    fn units_follow_the_number() {
        assert_eq!(with_unit("171,649", Unit::PersonTime, Chinese), "171,649 人次");
        assert_eq!(with_unit("17.2万", Unit::PersonTime, Chinese), "17.2万人次");
        assert_eq!(with_unit("1", Unit::Hour, English), "1 hour");
        assert_eq!(with_unit("3", Unit::Hour, English), "3 hours");
        assert_eq!(with_unit("1.5", Unit::Hour, English), "1.5 hours");
        assert_eq!(with_unit("0", Unit::Piece, English), "0 pieces");
        assert_eq!(with_unit("1", Unit::Person, English), "1 person");
        assert_eq!(with_unit("2", Unit::Person, English), "2 people");
    }

    #[test]
    fn units_by_code() {
        for u in Unit::ALL {
            assert_eq!(Unit::parse(u.code()), Some(u));
        }
        assert_eq!(Unit::parse("furlong"), None);
    }

    #[test]
    fn any_number_type_is_a_figure() {
        assert_eq!(3usize.as_i64(), 3);
        let seven = 7i32;
        assert_eq!(Figure::as_i64(&&seven), 7);
        assert_eq!(Some(2.6f64).as_i64(), 3);
        assert_eq!(None::<i64>.as_i64(), 0);
        assert_eq!(u64::MAX.as_i64(), i64::MAX);
    }
}
