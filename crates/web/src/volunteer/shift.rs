//! 班次 in the web layer. Staff add shifts on an activity's or a project's page (the panel
//! below), see the gaps across their scope and fill them, call a shift off or take a place
//! back; a volunteer, on their phone, signs up within their availability, cancels a day
//! ahead, offers their place or takes over one offered.

use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id};
use crate::view::{PageCtx, Web, see_other, unprocessable};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::volunteer::shift::{NOTICE_HOURS, ShiftForm};
use kexie_store::StoreError;
use kexie_store::volunteer::shift::{Candidate, OpenShift, Owner, ShiftRow};

/// How often the reminders are looked for; each goes out once, whichever node sends it.
const REMIND_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// Reminds volunteers of their shifts a day ahead, as notices on their account.
pub fn send_reminders(store: kexie_store::Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(REMIND_EVERY);
        loop {
            tick.tick().await;
            match store.send_shift_reminders().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(reminded = n, "shift reminders"),
                Err(e) => tracing::warn!(error = %e, "shift reminders"),
            }
        }
    });
}

/// The shifts of an activity or a project as a panel on its page, with the form to add one.
pub struct ShiftPanel {
    pub shifts: Vec<ShiftRow>,
    pub owner: Owner,
    /// May add shifts here (edit rights, and the activity or project still takes them).
    pub adds: bool,
}

impl ShiftPanel {
    /// `None` when the caller may not see volunteers' shifts.
    pub async fn load(state: &AppState, actor: &Actor, owner: Owner, open: bool) -> Result<Option<Self>, WebError> {
        match state.store.shifts_of(actor, owner).await {
            Ok(shifts) => {
                Ok(Some(ShiftPanel { shifts, owner, adds: open && actor.can(Area::Volunteer, Action::Edit) }))
            }
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
    pub fn owner_field(&self) -> (&'static str, i64) {
        match self.owner {
            Owner::Activity(id) => ("activity_id", id),
            Owner::Project(id) => ("project_id", id),
        }
    }
    pub fn hours(&self, m: &i32) -> String {
        super::hours(&i64::from(*m))
    }
}

/// The add-shift form with its owner.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NewShiftForm {
    #[serde(default)]
    pub activity_id: String,
    #[serde(default)]
    pub project_id: String,
    #[serde(flatten)]
    pub f: ShiftForm,
}

impl NewShiftForm {
    fn owner(&self) -> Result<Owner, WebError> {
        let id = |v: &str| v.trim().parse::<i64>().ok().filter(|i| *i > 0);
        match (id(&self.activity_id), id(&self.project_id)) {
            (Some(a), None) => Ok(Owner::Activity(a)),
            (None, Some(p)) => Ok(Owner::Project(p)),
            _ => Err(WebError::BadRequest("malformed_form")),
        }
    }
}

fn owner_link(owner: Owner) -> String {
    match owner {
        Owner::Activity(id) => format!("/activities/{id}#shifts"),
        Owner::Project(id) => format!("/volunteers/projects/{id}#shifts"),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/shift_form.html")]
pub struct ShiftFormPage {
    pub ctx: PageCtx,
    pub f: NewShiftForm,
    pub errors: Invalid,
    pub back: String,
}

/// Adds a shift; a bad form comes back on its own page with every field's error.
pub async fn create(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<NewShiftForm>,
) -> Result<Response, WebError> {
    let owner = f.owner()?;
    let result = match f.f.check(chrono::Utc::now()) {
        Ok(input) => state.store.create_shift(web.actor(), owner, &input).await.map(|_| ()),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(see_other(&owner_link(owner))),
        Err(StoreError::Invalid(errors)) => {
            Ok(unprocessable(ShiftFormPage { ctx: web.ctx(), back: owner_link(owner), f, errors }))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/gaps.html")]
pub struct GapsPage {
    pub ctx: PageCtx,
    pub shifts: Vec<ShiftRow>,
}

impl GapsPage {
    pub fn hours(&self, m: &i32) -> String {
        super::hours(&i64::from(*m))
    }
    pub fn short(&self) -> i32 {
        self.shifts.iter().map(|s| s.gap).sum()
    }
}

/// 班次缺口: the coming shifts that still need volunteers.
pub async fn gaps(State(state): State<AppState>, web: Web) -> Result<GapsPage, WebError> {
    Ok(GapsPage { ctx: web.ctx(), shifts: state.store.shift_gaps(web.actor()).await? })
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/shift.html")]
pub struct ShiftPage {
    pub ctx: PageCtx,
    pub s: ShiftRow,
    pub candidates: Vec<Candidate>,
    pub edits: bool,
    pub errors: Invalid,
    pub phone: String,
}

impl ShiftPage {
    pub fn hours(&self, m: &i32) -> String {
        super::hours(&i64::from(*m))
    }
    pub fn upcoming(&self) -> bool {
        self.s.open && self.s.s.starts_at > chrono::Utc::now()
    }
}

async fn shift_page(
    state: &AppState,
    web: &Web,
    id: i64,
    errors: Invalid,
    phone: String,
) -> Result<ShiftPage, WebError> {
    let actor = web.actor();
    Ok(ShiftPage {
        ctx: web.ctx(),
        s: state.store.get_shift(actor, id).await?,
        candidates: state.store.shift_candidates(actor, id).await?,
        edits: actor.can(Area::Volunteer, Action::Edit),
        errors,
        phone,
    })
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShiftPage, WebError> {
    shift_page(&state, &web, id, Invalid::default(), String::new()).await
}

/// Whom staff put in: a suggested volunteer, or one found by mobile number.
#[derive(Debug, Default, serde::Deserialize)]
pub struct FillForm {
    #[serde(default)]
    pub volunteer_id: String,
    #[serde(default)]
    pub phone: String,
}

pub async fn fill(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<FillForm>,
) -> Result<Response, WebError> {
    let actor = web.actor();
    let who = match (f.volunteer_id.trim().parse::<i64>(), f.phone.trim()) {
        (Ok(v), _) => Ok(v),
        (Err(_), "") => Err(StoreError::Invalid(Invalid::one("phone", "required"))),
        (Err(_), phone) => state.store.find_volunteer_by_phone(actor, phone).await,
    };
    let result = match who {
        Ok(v) => state.store.fill_shift(actor, id, v).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/volunteers/shifts/{id}"))),
        Err(StoreError::Invalid(errors)) => Ok(unprocessable(shift_page(&state, &web, id, errors, f.phone).await?)),
        Err(e) => Err(e.into()),
    }
}

/// Calls the whole shift off; its volunteers are told.
pub async fn cancel(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    match state.store.cancel_shift(web.actor(), id).await {
        Ok(()) => Ok(see_other(&format!("/volunteers/shifts/{id}"))),
        Err(StoreError::Invalid(errors)) => {
            Ok(unprocessable(shift_page(&state, &web, id, errors, String::new()).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct PlaceForm {
    #[serde(default)]
    pub shift_id: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub offered: String,
}

impl PlaceForm {
    fn note(&self) -> Option<String> {
        Some(self.note.trim().chars().take(200).collect::<String>()).filter(|n| !n.is_empty())
    }
}

/// Staff take a volunteer's place back, with the reason the volunteer is told.
pub async fn staff_cancel_place(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<PlaceForm>,
) -> Result<Response, WebError> {
    let shift = f.shift_id.trim().parse::<i64>().map_err(|_| WebError::BadRequest("malformed_form"))?;
    match state.store.cancel_place(web.actor(), id, f.note()).await {
        Ok(()) => Ok(see_other(&format!("/volunteers/shifts/{shift}"))),
        Err(StoreError::Invalid(errors)) => {
            Ok(unprocessable(shift_page(&state, &web, shift, errors, String::new()).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/my_shifts.html")]
pub struct MyShiftsPage {
    pub ctx: PageCtx,
    pub shifts: Vec<OpenShift>,
    pub errors: Invalid,
}

impl MyShiftsPage {
    pub fn hours(&self, m: &i32) -> String {
        super::hours(&i64::from(*m))
    }
    pub fn mine(&self) -> Vec<&OpenShift> {
        self.shifts.iter().filter(|s| s.mine.is_some()).collect()
    }
    pub fn open(&self) -> Vec<&OpenShift> {
        self.shifts.iter().filter(|s| s.mine.is_none()).collect()
    }
    pub fn notice_hint(&self) -> String {
        self.ctx.t("vol.my_places_hint").replace("%{hours}", &NOTICE_HOURS.to_string())
    }
}

async fn my_page(state: &AppState, web: &Web, errors: Invalid) -> Result<MyShiftsPage, WebError> {
    Ok(MyShiftsPage { ctx: web.ctx(), shifts: state.store.volunteer_shifts(web.actor()).await?, errors })
}

pub async fn mine(State(state): State<AppState>, web: Web) -> Result<Response, WebError> {
    match my_page(&state, &web, Invalid::default()).await {
        Ok(p) => Ok(p.into_response()),
        Err(WebError::NotFound) => Ok(super::me::not_volunteer(&web)),
        Err(e) => Err(e),
    }
}

/// A volunteer's move on a shift or a place; a refusal comes back on the page with its reason.
async fn my_move(state: &AppState, web: &Web, done: Result<(), StoreError>) -> Result<Response, WebError> {
    match done {
        Ok(()) => Ok(see_other("/me/volunteer/shifts")),
        Err(StoreError::Invalid(errors)) => Ok(unprocessable(my_page(state, web, errors).await?)),
        Err(e) => Err(e.into()),
    }
}

pub async fn sign(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    let done = state.store.sign_up_shift(web.actor(), id).await;
    my_move(&state, &web, done).await
}

pub async fn my_cancel(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    let done = state.store.cancel_place(web.actor(), id, None).await;
    my_move(&state, &web, done).await
}

pub async fn offer(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<PlaceForm>,
) -> Result<Response, WebError> {
    let done = state.store.offer_place(web.actor(), id, f.offered == "1").await;
    my_move(&state, &web, done).await
}

pub async fn take(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    let done = state.store.take_over_place(web.actor(), id).await;
    my_move(&state, &web, done).await
}
