//! Excel roster import pages, one shape for every roster: upload, every bad row listed with
//! its row, column and reason, nothing written until all are good.

use crate::error::WebError;
use crate::form::Upload;
use crate::view::{PageCtx, Web, unprocessable};
use crate::{AppState, xlsx};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kexie_core::roster::{ImportSummary, RowError};

/// The rosters that can be imported.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Roster {
    Orgs,
    People,
}

impl Roster {
    /// The list it belongs to (`/orgs`, `/people`) and the key of its title.
    pub fn list_href(self) -> &'static str {
        match self {
            Roster::Orgs => "/orgs",
            Roster::People => "/people",
        }
    }
    pub fn area(self) -> &'static str {
        match self {
            Roster::Orgs => "orgs",
            Roster::People => "people",
        }
    }
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Roster::Orgs => &kexie_core::org::roster::COLUMNS,
            Roster::People => &kexie_core::person::roster::COLUMNS,
        }
    }
    /// File and sheet names for the template and exports.
    pub fn sheet(self) -> &'static str {
        match self {
            Roster::Orgs => "组织",
            Roster::People => "人员",
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub ctx: PageCtx,
    pub roster: Roster,
    pub file_name: String,
    pub errors: Vec<RowError>,
    pub error: Option<String>,
    pub done: Option<ImportSummary>,
}

impl ImportPage {
    pub fn message(&self, e: &RowError) -> String {
        self.ctx.lang.error(e.code, Some(&e.value))
    }
    pub fn list_title(&self) -> String {
        self.ctx.t(&format!("nav.{}", self.roster.area()))
    }
    /// A text of this roster's (`import.hint_orgs`, `import.hint_people`, …).
    pub fn say(&self, key: &str) -> String {
        self.ctx.t(&format!("import.{key}_{}", self.roster.area()))
    }
}

fn page(web: Web, roster: Roster) -> ImportPage {
    ImportPage { ctx: web.ctx(), roster, file_name: String::new(), errors: Vec::new(), error: None, done: None }
}

async fn import(
    state: &AppState,
    web: Web,
    roster: Roster,
    upload: Result<Upload, WebError>,
) -> Result<Response, WebError> {
    let actor = web.actor().clone();
    let mut page = page(web, roster);
    let upload = match upload {
        Ok(u) => u,
        Err(e @ (WebError::Csrf | WebError::TooLarge)) => return Err(e),
        Err(e) => {
            page.error = Some(page.ctx.error(e.code()));
            return Ok(unprocessable(page));
        }
    };
    page.file_name = upload.file_name.clone();
    let rows = match xlsx::read_rows(&upload.bytes) {
        Ok(r) => r,
        Err(e) => {
            page.error = Some(page.ctx.error(e.code()));
            return Ok(unprocessable(page));
        }
    };
    let result = match roster {
        Roster::Orgs => state.store.import_orgs(&actor, &rows).await,
        Roster::People => state.store.import_people(&actor, &rows).await,
    };
    match result {
        Ok(summary) => {
            page.done = Some(summary);
            Ok(page.into_response())
        }
        Err(kexie_store::StoreError::Roster(errors)) => {
            page.errors = errors;
            Ok(unprocessable(page))
        }
        Err(e) => Err(e.into()),
    }
}

/// An empty roster with the right headers, to fill in.
fn template(roster: Roster) -> Result<Response, WebError> {
    let bytes = xlsx::write_rows(roster.sheet(), roster.columns(), &[])?;
    Ok(xlsx::download(bytes, &format!("{}名册模板.xlsx", roster.sheet())))
}

pub async fn orgs_form(web: Web) -> ImportPage {
    page(web, Roster::Orgs)
}
pub async fn orgs(
    State(state): State<AppState>,
    web: Web,
    upload: Result<Upload, WebError>,
) -> Result<Response, WebError> {
    import(&state, web, Roster::Orgs, upload).await
}
pub async fn orgs_template(_web: Web) -> Result<Response, WebError> {
    template(Roster::Orgs)
}
pub async fn people_form(web: Web) -> ImportPage {
    page(web, Roster::People)
}
pub async fn people(
    State(state): State<AppState>,
    web: Web,
    upload: Result<Upload, WebError>,
) -> Result<Response, WebError> {
    import(&state, web, Roster::People, upload).await
}
pub async fn people_template(_web: Web) -> Result<Response, WebError> {
    template(Roster::People)
}
