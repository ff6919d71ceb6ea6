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
    Experts,
    /// Patent lists as search services export them (CSV or Excel).
    Patents,
    /// 科普e站 stations.
    Stations,
    /// 志愿者
    Volunteers,
}

impl Roster {
    /// The list it belongs to (`/orgs`, `/people`) and the key of its title.
    pub fn list_href(self) -> &'static str {
        match self {
            Roster::Orgs => "/orgs",
            Roster::People => "/people",
            Roster::Experts => "/match/experts",
            Roster::Patents => "/match/patents",
            Roster::Stations => "/estation/stations",
            Roster::Volunteers => "/volunteers",
        }
    }
    pub fn area(self) -> &'static str {
        match self {
            Roster::Orgs => "orgs",
            Roster::People => "people",
            Roster::Experts => "experts",
            Roster::Patents => "patents",
            Roster::Stations => "stations",
            Roster::Volunteers => "volunteers",
        }
    }
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Roster::Orgs => &kexie_core::org::roster::COLUMNS,
            Roster::People => &kexie_core::person::roster::COLUMNS,
            Roster::Experts => &kexie_core::matchmaking::roster::EXPERT_COLUMNS,
            Roster::Patents => &kexie_core::matchmaking::patent::COLUMNS,
            Roster::Stations => &kexie_core::estation::roster::COLUMNS,
            Roster::Volunteers => &kexie_core::volunteer::roster::COLUMNS,
        }
    }
    /// File and sheet names for the template and exports.
    pub fn sheet(self) -> &'static str {
        match self {
            Roster::Orgs => "组织",
            Roster::People => "人员",
            Roster::Experts => "专家",
            Roster::Patents => "专利",
            Roster::Stations => "科普e站",
            Roster::Volunteers => "志愿者",
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
    /// What else the import did (patents: how many were linked to experts and enterprises).
    pub extra: Option<String>,
}

impl ImportPage {
    pub fn message(&self, e: &RowError) -> String {
        self.ctx.lang.row_error(e)
    }
    pub fn list_title(&self) -> String {
        self.ctx.t(&format!("nav.{}", self.roster.area()))
    }
    /// Which files the upload takes.
    pub fn accept(&self) -> &'static str {
        match self.roster {
            Roster::Patents => ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _ => ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
    /// A text of this roster's (`import.hint_orgs`, `import.hint_people`, …).
    pub fn say(&self, key: &str) -> String {
        self.ctx.t(&format!("import.{key}_{}", self.roster.area()))
    }
}

fn page(web: Web, roster: Roster) -> ImportPage {
    ImportPage {
        ctx: web.ctx(),
        roster,
        file_name: String::new(),
        errors: Vec::new(),
        error: None,
        done: None,
        extra: None,
    }
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
            page.error = Some(e.message(page.ctx.lang));
            return Ok(unprocessable(page));
        }
    };
    page.file_name = upload.file.name.clone();
    let bytes = upload.file.read().await?;
    let rows = match xlsx::read_table(&bytes, &upload.file.name, roster == Roster::Patents) {
        Ok(r) => r,
        Err(e) => {
            page.error = Some(e.message(page.ctx.lang));
            return Ok(unprocessable(page));
        }
    };
    let result = match roster {
        Roster::Orgs => state.store.import_orgs(&actor, &rows).await,
        Roster::People => state.store.import_people(&actor, &rows).await,
        Roster::Experts => state.store.import_experts(&actor, &rows).await,
        Roster::Stations => state.store.import_stations(&actor, &rows).await,
        Roster::Volunteers => state.store.import_volunteers(&actor, &rows).await,
        Roster::Patents => state.store.import_patents(&actor, &rows).await.map(|p| {
            let (e, o) = (p.linked_experts.to_string(), p.linked_orgs.to_string());
            page.extra = Some(page.ctx.lang.t_with("import.patents_linked", &[("experts", &e), ("orgs", &o)]));
            p.summary
        }),
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
pub async fn experts_form(web: Web) -> ImportPage {
    page(web, Roster::Experts)
}
pub async fn experts(
    State(state): State<AppState>,
    web: Web,
    upload: Result<Upload, WebError>,
) -> Result<Response, WebError> {
    import(&state, web, Roster::Experts, upload).await
}
pub async fn experts_template(_web: Web) -> Result<Response, WebError> {
    template(Roster::Experts)
}
pub async fn patents_form(web: Web) -> ImportPage {
    page(web, Roster::Patents)
}
pub async fn patents(
    State(state): State<AppState>,
    web: Web,
    upload: Result<Upload, WebError>,
) -> Result<Response, WebError> {
    import(&state, web, Roster::Patents, upload).await
}
pub async fn patents_template(_web: Web) -> Result<Response, WebError> {
    template(Roster::Patents)
}
pub async fn stations_form(web: Web) -> ImportPage {
    page(web, Roster::Stations)
}
pub async fn stations(
    State(state): State<AppState>,
    web: Web,
    upload: Result<Upload, WebError>,
) -> Result<Response, WebError> {
    import(&state, web, Roster::Stations, upload).await
}
pub async fn stations_template(_web: Web) -> Result<Response, WebError> {
    template(Roster::Stations)
}
pub async fn volunteers_form(web: Web) -> ImportPage {
    page(web, Roster::Volunteers)
}
pub async fn volunteers(
    State(state): State<AppState>,
    web: Web,
    upload: Result<Upload, WebError>,
) -> Result<Response, WebError> {
    import(&state, web, Roster::Volunteers, upload).await
}
pub async fn volunteers_template(_web: Web) -> Result<Response, WebError> {
    template(Roster::Volunteers)
}
