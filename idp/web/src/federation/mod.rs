//! The tenant as the relying party of a peer provider: the sign-in of a
//! citizen whose account lives at another instance ([`peer_signin`]). The
//! rest of the tenant's federation role is in `trame_app::federation`.

pub mod peer_signin;
