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
    /// Maps a unique-constraint violation to a readable conflict, other
    /// errors to `Db`.
    pub(crate) fn from_db(e: sea_orm::DbErr, what: impl Into<String>) -> Self {
        match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict(what.into()),
            _ => StoreError::Db(e),
        }
    }
}
