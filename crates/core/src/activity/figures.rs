//! The year's activity figures: how many were held and how many people came, by kind, town,
//! month and theme. Cancelled and unpublished activities are not counted.

use super::ActivityKind;
use serde::Serialize;
use std::collections::BTreeMap;

/// One held activity as the figures read it.
#[derive(Debug, Clone)]
pub struct Fact {
    pub kind: ActivityKind,
    pub town: String,
    /// 1–12, China time.
    pub month: u32,
    pub theme: String,
    pub registered: i64,
    pub attended: i64,
    /// People reached on site beyond those checked in, as the report estimates them.
    pub extra_reach: i64,
}

/// A row of a breakdown: its name, activities, registrations and attendance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Line {
    pub key: String,
    pub activities: i64,
    pub registered: i64,
    pub attended: i64,
    pub extra_reach: i64,
}

impl Line {
    /// Person-times reached: those checked in and those reached beyond them.
    pub fn reach(&self) -> i64 {
        self.attended + self.extra_reach
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    pub total: Line,
    pub by_kind: Vec<Line>,
    pub by_town: Vec<Line>,
    /// Twelve lines, January first, with empty months kept so charts show the gaps.
    pub by_month: Vec<Line>,
    pub by_theme: Vec<Line>,
}

fn add(l: &mut Line, f: &Fact) {
    l.activities += 1;
    l.registered += f.registered;
    l.attended += f.attended;
    l.extra_reach += f.extra_reach;
}

fn sorted(m: BTreeMap<String, Line>) -> Vec<Line> {
    let mut v: Vec<Line> = m.into_values().collect();
    v.sort_by(|a, b| b.activities.cmp(&a.activities).then(b.attended.cmp(&a.attended)).then(a.key.cmp(&b.key)));
    v
}

pub fn tally(facts: &[Fact]) -> Figures {
    let mut total = Line { key: "total".into(), ..Default::default() };
    let (mut kind, mut town, mut theme) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let mut month: Vec<Line> = (1..=12).map(|m| Line { key: m.to_string(), ..Default::default() }).collect();
    for f in facts {
        add(&mut total, f);
        let k = f.kind.code().to_string();
        add(kind.entry(k.clone()).or_insert(Line { key: k, ..Default::default() }), f);
        add(town.entry(f.town.clone()).or_insert(Line { key: f.town.clone(), ..Default::default() }), f);
        add(theme.entry(f.theme.clone()).or_insert(Line { key: f.theme.clone(), ..Default::default() }), f);
        if let Some(l) = month.get_mut(f.month.saturating_sub(1) as usize) {
            add(l, f);
        }
    }
    Figures { total, by_kind: sorted(kind), by_town: sorted(town), by_month: month, by_theme: sorted(theme) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(kind: ActivityKind, town: &str, month: u32, attended: i64) -> Fact {
        Fact {
            kind,
            town: town.into(),
            month,
            theme: "防灾减灾".into(),
            registered: attended + 5,
            attended,
            extra_reach: 10,
        }
    }

    #[test]
    fn breakdowns_add_up() {
        let f = tally(&[
            fact(ActivityKind::Lecture, "金沙街道", 5, 80),
            fact(ActivityKind::Lecture, "西亭镇", 5, 40),
            fact(ActivityKind::PartyDay, "金沙街道", 7, 25),
        ]);
        assert_eq!(f.total.activities, 3);
        assert_eq!(f.total.attended, 145);
        assert_eq!(
            f.by_kind[0],
            Line { key: "lecture".into(), activities: 2, registered: 130, attended: 120, extra_reach: 20 }
        );
        assert_eq!(f.total.reach(), 175);
        assert_eq!(f.by_town[0].key, "金沙街道");
        assert_eq!(f.by_month.len(), 12);
        assert_eq!(f.by_month[4].activities, 2);
        assert_eq!(f.by_month[0].activities, 0);
        assert_eq!(f.by_theme[0].attended, 145);
    }
}
