//! Pagination arithmetic shared by every list page and API.

use crate::Invalid;
use serde::Serialize;

pub const DEFAULT_PER_PAGE: u64 = 20;
pub const MAX_PER_PAGE: u64 = 200;
/// The highest page a caller may ask for: past the last page a list answers an empty page,
/// and the offset stays far inside what every database accepts.
pub const MAX_PAGE: u64 = 1_000_000;

/// A requested page, clamped to sane bounds so a hostile `per_page=1e9` costs nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PageRequest {
    pub page: u64,
    pub per_page: u64,
}

impl PageRequest {
    pub fn new(page: Option<u64>, per_page: Option<u64>) -> Self {
        Self {
            page: page.unwrap_or(1).clamp(1, MAX_PAGE),
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE),
        }
    }
    /// A page the API was asked for: out of bounds is refused, not clamped, so that what a
    /// program gets is what it asked for (pages clamp, since a person reads the pager).
    pub fn checked(page: Option<u64>, per_page: Option<u64>) -> Result<Self, Invalid> {
        let mut e = Invalid::default();
        crate::validate::within(&mut e, "page", page, 1..=MAX_PAGE);
        crate::validate::within(&mut e, "per_page", per_page, 1..=MAX_PER_PAGE);
        e.into_result(Self::new(page, per_page))
    }
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.per_page
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(None, None)
    }
}

/// One page of results with what a pager needs.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page).max(1)
    }
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
    /// Page numbers to show in a pager: first, last, and a window around the current page;
    /// `None` marks a gap.
    pub fn window(&self) -> Vec<Option<u64>> {
        let last = self.pages();
        let mut out = Vec::new();
        let mut prev = 0;
        for p in 1..=last {
            let near = p + 2 >= self.page && p <= self.page + 2;
            if p == 1 || p == last || near {
                if prev != 0 && p != prev + 1 {
                    out.push(None);
                }
                out.push(Some(p));
                prev = p;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps_hostile_requests() {
        let p = PageRequest::new(Some(0), Some(1_000_000_000));
        assert_eq!(p.page, 1);
        assert_eq!(p.per_page, MAX_PER_PAGE);
        assert_eq!(PageRequest::new(Some(50), None).offset(), 980);
    }

    #[test]
    fn api_pages_refuse_what_pages_clamp() {
        assert_eq!(PageRequest::checked(None, None), Ok(PageRequest::default()));
        let far = PageRequest::checked(Some(10_144), Some(MAX_PER_PAGE)).unwrap();
        assert_eq!((far.page, far.per_page), (10_144, MAX_PER_PAGE));
        let e = PageRequest::checked(Some(0), Some(MAX_PER_PAGE + 1)).unwrap_err();
        assert_eq!(e.for_field("page").map(|f| f.code), Some("out_of_range"));
        assert_eq!(e.for_field("per_page").and_then(|f| f.arg.as_deref()), Some("1–200"));
        assert!(PageRequest::checked(Some(MAX_PAGE + 1), None).is_err());
        assert!(PageRequest::checked(Some(MAX_PAGE), Some(0)).is_err());
    }

    #[test]
    fn pager_window_has_gaps() {
        let p: Page<()> = Page { items: vec![], total: 1000, page: 10, per_page: 20 };
        assert_eq!(p.pages(), 50);
        assert_eq!(p.window(), vec![Some(1), None, Some(8), Some(9), Some(10), Some(11), Some(12), None, Some(50)]);
        let empty: Page<()> = Page { items: vec![], total: 0, page: 1, per_page: 20 };
        assert_eq!(empty.window(), vec![Some(1)]);
    }
}
