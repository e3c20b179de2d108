//! The CAS server (CAS protocol 3.0), for the applications of a
//! collectivité that speak CAS rather than OpenID Connect (GLPI through
//! phpCAS, Apache's `mod_auth_cas`, an ENT).
//!
//! `/cas/login` uses Trame's own sign-in and session: a person signed in
//! for an OpenID Connect service is not asked again, unless the service
//! says `renew=true` or needs a higher level than the session has
//! (`default_acr_values` of its client). An unregistered service gets a
//! page, never a redirect. Validation (`/cas/validate`,
//! `/cas/serviceValidate`, `/cas/p3/serviceValidate`, `/cas/samlValidate`)
//! is called by the service's server: its answers are CAS text, XML, JSON
//! or SAML 1.1, never a page.
//! The rules are `trame_app::cas`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use trame_app::cas::{self, Refusal, Validation};
use trame_app::catalog::TenantEntry;
use trame_core::cas::{Failure, SamlContext, Success, service_with_ticket};
use trame_core::crypto::random_id;

use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{ClientIp, Params, single};
use crate::interaction::{self, Purpose, Starter};
use crate::respond::{see_other, with_cookie};
use crate::session;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

fn bad_request() -> ApiError {
    ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request")
}

/// The page of a CAS login for a service no client of the tenant has.
fn unknown_service() -> ApiError {
    ApiError::page(StatusCode::BAD_REQUEST, "error-cas-service")
}

/// A CAS flag (`renew`, `gateway`): set when present with any value but
/// `false` (the specification recommends `true`; clients send `1`, `yes`).
fn flag(v: Option<&str>) -> bool {
    v.is_some_and(|v| !v.eq_ignore_ascii_case("false"))
}

/// `GET /cas/login` (CAS 3.0 §2.1).
pub async fn login(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    params: Result<Params, ApiError>,
) -> ApiResult<Response> {
    let Params(p) = params.map_err(|_| bad_request())?;
    let one = |n: &str| single(&p, n).map_err(|_| bad_request());
    let (service, renew, gateway) = (one("service")?, flag(one("renew")?), flag(one("gateway")?));
    let t = &tenant.tenant;
    // Without a service there is nowhere to go but the person's account.
    let Some(service) = service else {
        return Ok(see_other(&t.issuer.endpoint("/account")));
    };
    let Some(client) = cas::client_for(&state, &tenant, service).await.html_err()? else {
        tracing::info!(tenant = %t.slug, "CAS login for an unregistered service");
        return Err(unknown_service());
    };
    let (binding, new_cookie) = session::binding(&state, t, &headers);
    // `renew` asks for credentials even when a session exists; `gateway`
    // never shows a page. With both, renew wins and the service gets no
    // ticket (§2.1.1: a sign-in cannot be both forced and silent).
    let current = if renew { None } else { session::current(&state, t, &headers).await? };
    if let Some(s) = current.filter(|s| cas::level_met(&client, s)) {
        let ticket = cas::issue(&state, &client, service, &s, false).await.html_err()?;
        tracing::debug!(tenant = %t.slug, client_id = %client.id, "CAS ticket issued from the session");
        return Ok(with_cookie(see_other(&service_with_ticket(service, &ticket)), new_cookie));
    }
    if gateway {
        return Ok(with_cookie(see_other(service), new_cookie));
    }
    let mut kept = vec![("client_id".to_owned(), client.id.as_str().to_owned()), ("service".to_owned(), service.to_owned())];
    if renew {
        kept.push(("renew".to_owned(), "true".to_owned()));
    }
    let id = interaction::create_for(&state, t, kept, Starter { binding, ip }, Purpose::Cas, cas::required_level(&client)).await?;
    Ok(with_cookie(see_other(&t.issuer.endpoint(&format!("/login?interaction={id}"))), new_cookie))
}

/// `GET /cas/logout` (CAS 3.0 §2.3): the session ends (its OpenID Connect
/// clients are told, as on any ending), then the browser goes to
/// `service` when it is a registered service, else the signed-out page.
/// No confirmation: CAS applications send people here to sign out, and
/// the worst a third party can do with it is sign someone out.
pub async fn logout(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, params: Result<Params, ApiError>) -> ApiResult<Response> {
    let Params(p) = params.map_err(|_| bad_request())?;
    let service = single(&p, "service").map_err(|_| bad_request())?;
    let target = match service {
        Some(s) if cas::client_for(&state, &tenant, s).await.html_err()?.is_some() => Some(s.to_owned()),
        _ => None,
    };
    let ended = session::end(&state, &tenant, &headers).await?;
    tracing::info!(tenant = %tenant.tenant.slug, "signed out (CAS)");
    Ok(crate::signed_out::signed_out(&state, &tenant, &headers, target, &Default::default(), ended))
}

/// The format of a validation answer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Cas1,
    Xml,
    Json,
}

/// `POST /cas/samlValidate?TARGET=<service>` (CAS 3.0 §2.8, SAML 1.1, what
/// ENTs and mod_auth_cas with `CASValidateSAML` use): the ticket comes as
/// the `AssertionArtifact` of a SOAP request, the answer is a SAML 1.1
/// response in SOAP.
pub async fn saml_validate(State(state): State<AppState>, tenant: TenantCtx, uri: Uri, body: Bytes) -> Response {
    let params = uri.query().and_then(|q| trame_core::form::parse_urlencoded(q.as_bytes()));
    let target = params.as_deref().and_then(|p| single(p, "TARGET").ok().flatten()).map(str::to_owned);
    let artifact = std::str::from_utf8(&body).ok().and_then(trame_core::cas::saml_artifact);
    let outcome = match (&target, &artifact) {
        (Some(service), Some(ticket)) => cas::validate(&state, &tenant, Validation { service: Some(service), ticket: Some(ticket), renew: false }).await,
        (None, _) => Ok(Err(Refusal { failure: Failure::InvalidRequest, description: "TARGET, the service URL, is required".into() })),
        (_, None) => Ok(Err(Refusal { failure: Failure::InvalidRequest, description: "the body is not a SAML 1.1 request with one AssertionArtifact".into() })),
    };
    let (status, outcome) = settle(&tenant, outcome);
    let ids = (format!("_{}", random_id(state.rng.as_ref())), format!("_{}", random_id(state.rng.as_ref())));
    let c = SamlContext {
        response_id: &ids.0,
        assertion_id: &ids.1,
        now: state.now(),
        service: target.as_deref().unwrap_or_default(),
        issuer: tenant.tenant.issuer.as_str(),
    };
    let body = match &outcome {
        Ok(s) => trame_core::cas::saml_success(s, &c),
        Err(r) => trame_core::cas::saml_failure(r.failure, &r.description, &c),
    };
    respond(status, "text/xml; charset=utf-8", body)
}

/// `GET /cas/validate` (CAS 1, §2.4): `yes` and the user, or `no`.
pub async fn validate(State(state): State<AppState>, tenant: TenantCtx, params: Result<Params, ApiError>) -> Response {
    answer(&state, &tenant, params, Format::Cas1).await
}

/// `GET /cas/serviceValidate` and `/cas/p3/serviceValidate` (§2.5, §2.6):
/// XML, or JSON with `format=JSON`; both carry the attributes.
pub async fn service_validate(State(state): State<AppState>, tenant: TenantCtx, params: Result<Params, ApiError>) -> Response {
    let format = match &params {
        Ok(Params(p)) if p.iter().any(|(k, v)| k == "format" && v.eq_ignore_ascii_case("json")) => Format::Json,
        _ => Format::Xml,
    };
    answer(&state, &tenant, params, format).await
}

async fn answer(state: &AppState, tenant: &TenantEntry, params: Result<Params, ApiError>, format: Format) -> Response {
    let outcome = match params {
        Err(_) => Ok(Err(Refusal { failure: Failure::InvalidRequest, description: "the query string is malformed".into() })),
        Ok(Params(p)) => {
            let one = |n: &str| single(&p, n);
            match (one("service"), one("ticket"), one("renew")) {
                (Ok(service), Ok(ticket), Ok(renew)) => cas::validate(state, tenant, Validation { service, ticket, renew: flag(renew) }).await,
                _ => Ok(Err(Refusal { failure: Failure::InvalidRequest, description: "a parameter appears more than once".into() })),
            }
        }
    };
    let (status, outcome) = settle(tenant, outcome);
    let (content_type, body) = render(format, &outcome);
    respond(status, content_type, body)
}

/// A validation's outcome as CAS answers it: a store failure is CAS's
/// `INTERNAL_ERROR` with status 500; refusals are logged (their code only).
fn settle(tenant: &TenantEntry, outcome: Result<Result<Success, Refusal>, trame_app::Error>) -> (StatusCode, Result<Success, Refusal>) {
    let (status, outcome) = match outcome {
        Ok(o) => (StatusCode::OK, o),
        Err(e) => {
            tracing::error!(tenant = %tenant.tenant.slug, error = %e, "CAS validation failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Err(Refusal { failure: Failure::InternalError, description: "the server could not validate the ticket".into() }),
            )
        }
    };
    if let Err(r) = &outcome {
        tracing::info!(tenant = %tenant.tenant.slug, code = r.failure.code(), "CAS ticket refused");
    }
    (status, outcome)
}

fn respond(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn render(format: Format, outcome: &Result<Success, Refusal>) -> (&'static str, String) {
    use trame_core::cas as wire;
    match (format, outcome) {
        (Format::Cas1, Ok(s)) => ("text/plain; charset=utf-8", wire::cas1(Some(&s.user))),
        (Format::Cas1, Err(_)) => ("text/plain; charset=utf-8", wire::cas1(None)),
        (Format::Xml, Ok(s)) => ("application/xml; charset=utf-8", wire::success_xml(s)),
        (Format::Xml, Err(r)) => ("application/xml; charset=utf-8", wire::failure_xml(r.failure, &r.description)),
        (Format::Json, Ok(s)) => ("application/json", wire::success_json(s).to_string()),
        (Format::Json, Err(r)) => ("application/json", wire::failure_json(r.failure, &r.description).to_string()),
    }
}
