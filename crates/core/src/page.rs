//! Pagination arithmetic shared by every list page and API.

use serde::Serialize;

pub const DEFAULT_PER_PAGE: u64 = 20;
pub const MAX_PER_PAGE: u64 = 200;

/// A requested page, clamped to sane bounds so a hostile `per_page=1e9` costs nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PageRequest {
    pub page: u64,
    pub per_page: u64,
}

impl PageRequest {
    pub fn new(page: Option<u64>, per_page: Option<u64>) -> Self {
        Self {
            page: page.unwrap_or(1).clamp(1, 1_000_000),
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE),
        }
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
    fn pager_window_has_gaps() {
        let p: Page<()> = Page { items: vec![], total: 1000, page: 10, per_page: 20 };
        assert_eq!(p.pages(), 50);
        assert_eq!(p.window(), vec![Some(1), None, Some(8), Some(9), Some(10), Some(11), Some(12), None, Some(50)]);
        let empty: Page<()> = Page { items: vec![], total: 0, page: 1, per_page: 20 };
        assert_eq!(empty.window(), vec![Some(1)]);
    }
}
