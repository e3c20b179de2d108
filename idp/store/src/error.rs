use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error")]
    Db(#[source] sea_orm::DbErr),
    #[error("{0} already exists")]
    Conflict(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("the master key cannot open a sealed private key (wrong master key file?)")]
    Unseal,
    #[error("a signing key cannot be generated or loaded")]
    Key(#[source] trame_jose::Error),
    #[error("invalid value: {0}")]
    Invalid(String),
}

impl StoreError {
    /// Whether the database could not be reached (an outage: refused,
    /// timed out, connection lost), as opposed to a query that failed.
    /// Callers answer 503 and count the outage on this, never on the
    /// error's wording.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Db(e) => db_unavailable(e),
            _ => false,
        }
    }

    /// Maps a unique-constraint violation to a readable conflict, other
    /// errors to `Db`.
    pub(crate) fn from_db(e: sea_orm::DbErr, what: impl Into<String>) -> Self {
        match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict(what.into()),
            _ => StoreError::Db(e),
        }
    }
}

fn db_unavailable(e: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => sqlx_unavailable(e),
        _ => false,
    }
}

fn sqlx_unavailable(e: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error;
    match e {
        Error::Io(_) | Error::Tls(_) | Error::PoolTimedOut | Error::PoolClosed | Error::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception) and 57P01-57P03 (the
        // server shutting down or not accepting connections yet).
        Error::Database(d) => d.code().is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")),
        _ => false,
    }
}
