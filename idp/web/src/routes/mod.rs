//! The per-tenant routers, one module per area. Paths here are relative to
//! the tenant's issuer; [`crate::tenancy`] has stripped the prefix.

pub mod account;
pub mod account_data;
pub mod admin_api;
pub mod authorize;
pub mod brand;
pub mod cas;
pub mod consent;
pub mod console;
pub mod federation;
pub mod federation_registration;
pub mod health;
pub mod introspection;
pub mod language;
pub mod level;
pub mod login;
pub mod logout;
pub mod mail_links;
pub mod par;
pub mod passkey;
pub mod peers;
pub mod recover;
pub mod register;
pub mod revocation;
pub mod signup;
pub mod token;
pub mod transparency;
pub mod userinfo;
pub mod wellknown;

use axum::Router;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::error::ApiError;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/.well-known/openid-configuration", get(wellknown::discovery))
        .route("/jwks", get(wellknown::jwks))
        .route("/brand/logo", get(brand::logo))
        .route("/brand/style.css", get(brand::style))
        .route("/brand/static/{name}", get(brand::asset))
        .route("/transparence.json", get(transparency::json))
        .route("/language", get(language::switch))
        .route("/.well-known/openid-federation", get(federation::entity_configuration))
        .route("/federation/fetch", get(federation::fetch))
        .route("/federation/list", get(federation::list))
        .route("/federation/resolve", get(federation::resolve))
        .route("/federation/trust_mark", get(federation::trust_mark))
        .route("/federation/trust_mark_list", get(federation::trust_mark_list))
        .route("/federation/trust_mark_status", post(federation::trust_mark_status))
        .route("/federation/historical_keys", get(federation::historical_keys))
        .route("/federation/register", post(federation_registration::register))
        .route("/federation/peers/logo", get(peers::logo))
        .route("/federation/callback", get(peers::callback))
        // Clients may post authorization and logout requests from their own
        // pages; the logout confirmation checks its origin itself.
        .route("/authorize", get(authorize::authorize).post(authorize::authorize))
        .route("/logout", get(logout::start).post(logout::confirm))
        // CAS (protocol 3.0): the browser's login and logout, and the
        // validations the services' servers call.
        .route("/cas/login", get(cas::login))
        .route("/cas/logout", get(cas::logout))
        .route("/cas/validate", get(cas::validate))
        .route("/cas/serviceValidate", get(cas::service_validate))
        .route("/cas/p3/serviceValidate", get(cas::service_validate))
        .route("/cas/samlValidate", post(cas::saml_validate))
        .route("/par", post(par::par))
        .route("/token", post(token::token))
        .route("/userinfo", get(userinfo::userinfo).post(userinfo::userinfo))
        .route("/revoke", post(revocation::revoke))
        .route("/introspect", post(introspection::introspect))
        .route("/register", post(register::register))
        .route("/register/{client_id}", get(register::read).put(register::update).delete(register::delete))
        .nest(admin_api::BASE, admin_api::router())
        .merge(pages())
        // Before the fallback: only matched routes carry a template.
        .route_layer(crate::telemetry::StampRoute)
        .fallback(not_found)
        .with_state(state)
}

/// The pages people use in their browser: every post must come from the
/// tenant's own origin ([`crate::csrf`]).
fn pages() -> Router<AppState> {
    Router::new()
        .route("/federation/peers", get(peers::show).post(peers::choose))
        .route("/login", get(login::show).post(login::submit))
        .route("/login/continue", get(login::resume))
        .route("/login/abandon", post(login::abandon))
        .route("/login/level", get(level::show))
        .route("/login/enrol", get(level::enrol_show).post(level::start))
        .route("/login/enrol/sent", get(level::sent))
        .route("/login/otp", get(login::otp_show).post(login::otp_submit))
        .route("/passkey/options", post(passkey::options))
        .route("/passkey/finish", post(passkey::finish))
        .route("/signup", get(signup::show).post(signup::check))
        .route("/signup/options", post(signup::options))
        .route("/signup/finish", post(signup::finish))
        .route("/account", get(account::show))
        .route("/account/passkeys/options", post(account::passkey_options))
        .route("/account/passkeys/finish", post(account::passkey_finish))
        .route("/account/passkeys/rename", post(account::passkey_rename))
        .route("/account/passkeys/remove", post(account::passkey_remove))
        .route("/account/password", post(account::password))
        .route("/account/totp", get(account::totp_show).post(account::totp_submit))
        .route("/account/recovery-codes", post(account::recovery_codes))
        .route("/account/sessions/end", post(account::session_end))
        .route("/account/email", post(account::email))
        .route("/account/profile", post(account_data::profile))
        .route("/account/consents/withdraw", post(account_data::withdraw))
        .route("/account/export", get(account_data::export))
        .route("/account/delete", post(account_data::delete))
        .route("/account/credentials/upgrade", post(account::upgrade))
        .route("/account/upgrade", get(mail_links::upgrade_show).post(mail_links::upgrade_confirm))
        .route("/verify-email", get(mail_links::verify_show).post(mail_links::verify_confirm))
        .route("/recover", get(recover::show).post(recover::submit))
        .route("/recover/email", get(recover::email_link).post(recover::email_confirm))
        .route("/consent", get(consent::show).post(consent::submit))
        .route("/transparence", get(transparency::page))
        .merge(console::router())
        .route_layer(axum::middleware::from_fn(crate::csrf::same_origin_only))
}

async fn not_found() -> ApiError {
    ApiError::page(StatusCode::NOT_FOUND, "error-not-found")
}

impl FromRequestParts<AppState> for TenantCtx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, ApiError> {
        parts.extensions.get::<TenantCtx>().cloned().ok_or_else(|| ApiError::page(StatusCode::NOT_FOUND, "error-not-found"))
    }
}

/// Theme assets, shared by every tenant (no per-tenant path needed).
pub async fn asset(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    match state.themes.asset(&name) {
        Some((content_type, body)) => {
            let mut r = body.into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
            r
        }
        None => ApiError::page(StatusCode::NOT_FOUND, "error-not-found").into_response(),
    }
}
