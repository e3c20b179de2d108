//! The one error type of the application layer: a failure of what a use
//! case stands on (the database, the ephemeral store, signing). What a use
//! case refuses (a blocked address, an invalid token, an expired link) is
//! part of its answer, never an error. The HTTP layer maps this type to
//! responses in one place (`trame_web::error`); the CLI prints it.

use trame_store::{EphemeralError, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ephemeral(#[from] EphemeralError),
    #[error(transparent)]
    Signing(#[from] trame_jose::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
