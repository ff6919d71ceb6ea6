use kexie_core::Invalid;
use kexie_core::org::roster::RowError;
use sea_orm::{DbErr, SqlErr};

/// Everything the store can refuse. Database errors keep their detail for the log; the web
/// layer shows only the stable code.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("invalid: {0}")]
    Invalid(Invalid),
    #[error("roster has {} bad rows", .0.len())]
    Roster(Vec<RowError>),
    #[error("the database was migrated by a newer kexie (migration {0}); refusing to downgrade")]
    NewerSchema(String),
    /// A matchmaking event cannot be planned as set up; each issue names who and why.
    #[error("no plan: {} issues", .0.len())]
    Plan(Vec<kexie_core::matchmaking::event::PlanIssue>),
    #[error("backup: {0}")]
    Backup(String),
    #[error("database: {0}")]
    Db(DbErr),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Invalid(_) => "invalid",
            Self::Roster(_) => "roster_invalid",
            Self::NewerSchema(_) => "newer_schema",
            Self::Plan(_) => "plan_infeasible",
            Self::Backup(_) => "backup_failed",
            Self::Db(_) => "database",
        }
    }
}

impl From<Invalid> for StoreError {
    fn from(e: Invalid) -> Self {
        Self::Invalid(e)
    }
}

impl From<DbErr> for StoreError {
    /// A unique constraint that slipped past the checks (two writers at once) becomes the same
    /// field error the check would have given.
    fn from(e: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(msg)) = e.sql_err() {
            let field = ["username", "code", "id_number", "token_hash"].into_iter().find(|f| msg.contains(f));
            if let Some(field) = field {
                return Self::Invalid(Invalid::one(field, "duplicate"));
            }
        }
        if matches!(e, DbErr::RecordNotFound(_)) {
            return Self::NotFound;
        }
        Self::Db(e)
    }
}
