//! `/users`: a tenant's accounts, found among a million by the start of a
//! username, e-mail address or name; created, changed, disabled, erased;
//! their sessions, consents and personal data.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use trame_app::users::{self, AccountChange, AccountRefusal, ChangeError, CreateError, Creator, NewAccount, ResetOutcome};
use trame_app::{consents, personal_data};
use trame_core::user::Address;
use trame_store::{Account, ProfileChange, UserSearch};
use utoipa::{IntoParams, ToSchema};

use super::caller::Admin;
use super::input::{self, IfMatch};
use crate::error::{ApiResult, OrApi};
use crate::problem::Problem;
use crate::state::AppState;

/// An account as the API shows it. Times are Unix seconds.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub username: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// E.164, e.g. `+33612345678`.
    pub phone_number: Option<String>,
    pub phone_number_verified: bool,
    pub address: Option<PostalAddress>,
    /// A disabled account cannot sign in and its tokens do not work.
    pub disabled: bool,
    pub disabled_at: Option<i64>,
    pub has_password: bool,
    pub has_totp: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<Account> for User {
    fn from(a: Account) -> Self {
        let p = a.profile;
        User {
            id: p.id,
            username: p.username,
            email: p.email,
            email_verified: p.email_verified,
            given_name: p.given_name,
            family_name: p.family_name,
            phone_number: p.phone_number,
            phone_number_verified: p.phone_number_verified,
            address: p.address.map(PostalAddress::from),
            disabled: a.disabled_at.is_some(),
            disabled_at: a.disabled_at,
            has_password: a.password_hash.is_some(),
            has_totp: a.has_totp,
            created_at: a.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A postal address (OpenID Connect Core §5.1.1).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostalAddress {
    pub formatted: Option<String>,
    pub street_address: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

impl From<Address> for PostalAddress {
    fn from(a: Address) -> Self {
        Self {
            formatted: a.formatted,
            street_address: a.street_address,
            locality: a.locality,
            region: a.region,
            postal_code: a.postal_code,
            country: a.country,
        }
    }
}

impl From<PostalAddress> for Address {
    fn from(a: PostalAddress) -> Self {
        Self {
            formatted: a.formatted,
            street_address: a.street_address,
            locality: a.locality,
            region: a.region,
            postal_code: a.postal_code,
            country: a.country,
        }
    }
}

/// An account read with its version: the body and its `ETag`.
fn versioned(status: StatusCode, account: Account) -> Response {
    let tag = input::etag(account.version);
    let mut r = (status, Json(User::from(account))).into_response();
    if let Ok(v) = HeaderValue::from_str(&tag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

async fn account(state: &AppState, admin: &Admin, id: &str) -> ApiResult<Account> {
    state.store.account(&admin.tenant.tenant.id, id).await.problem_err()?.ok_or_else(|| Problem::not_found("account").into())
}

fn refusal(r: AccountRefusal) -> Problem {
    match r {
        AccountRefusal::Taken => Problem::new(StatusCode::CONFLICT, "username_taken", r.to_string()).at("username"),
        r => Problem::invalid("invalid_value", r.field(), r.to_string()),
    }
}

fn change_refused(c: AccountChange, what: &str) -> ApiResult<()> {
    match c {
        AccountChange::Done => Ok(()),
        AccountChange::NotFound => Err(Problem::not_found("account").into()),
        AccountChange::LastOperator => Err(last_operator(what).into()),
    }
}

fn last_operator(what: &str) -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "last_operator",
        format!("this account is the installation's last operator: it cannot be {what}; grant the role to another account first"),
    )
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Accounts whose username, e-mail address, given name or family name
    /// starts with this (case and accents ignored).
    q: Option<String>,
    /// From a previous page's `next_cursor`.
    cursor: Option<String>,
    /// 1 to 200 (default 50).
    limit: Option<u64>,
}

/// One page of accounts, in username order.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<User>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Lists or searches the accounts.
#[utoipa::path(get, path = "/users", tag = "users", params(ListQuery),
    responses((status = 200, body = UserPage), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(State(state): State<AppState>, admin: Admin, RawQuery(raw): RawQuery) -> ApiResult<Json<UserPage>> {
    let q: ListQuery = input::query(raw.as_deref())?;
    let search = UserSearch { prefix: q.q, after: input::cursor_in(q.cursor.as_deref())?, limit: input::limit(q.limit, 50, 200)? };
    let page = state.store.search_users(&admin.tenant.tenant.id, &search).await.problem_err()?;
    Ok(Json(UserPage { items: page.accounts.into_iter().map(User::from).collect(), next_cursor: page.next.as_deref().map(input::cursor_out) }))
}

/// A new account, without a credential: the person gets one through a
/// recovery link or an invitation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// 1 to 200 printable characters (an existing directory's names are
    /// kept as they are).
    pub username: String,
    pub email: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// International form, e.g. `+33 6 12 34 56 78`.
    pub phone_number: Option<String>,
    #[serde(default)]
    pub phone_number_verified: bool,
    pub address: Option<PostalAddress>,
}

/// Creates an account.
#[utoipa::path(post, path = "/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = User, headers(("ETag" = String), ("Location" = String))), (status = 400, body = Problem), (status = 409, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(state): State<AppState>, admin: Admin, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    admin.may_write()?;
    let n: NewUser = input::body(&headers, &body)?;
    let t = &admin.tenant.tenant;
    let new = NewAccount {
        username: n.username,
        email: n.email,
        given_name: n.given_name,
        family_name: n.family_name,
        phone_number: n.phone_number,
        phone_number_verified: n.phone_number_verified,
        address: n.address.map(Address::from),
    };
    let checked = users::check(t, Creator::Operator, new).map_err(refusal)?;
    let made = match users::create(&state.store, t, checked, None, state.now(), admin.by()).await {
        Ok(u) => u,
        Err(CreateError::Refused(r)) => return Err(refusal(r).into()),
        Err(CreateError::Failed(e)) => return Err(e).problem_err(),
    };
    let created = account(&state, &admin, &made.id).await?;
    let mut r = versioned(StatusCode::CREATED, created);
    let location = format!("{}{}/users/{}", t.issuer.as_str().trim_end_matches('/'), super::BASE, made.id);
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// Reads an account; its `ETag` is what an update's `If-Match` names.
#[utoipa::path(get, path = "/users/{id}", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = User, headers(("ETag" = String))), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, admin: Admin, Path(id): Path<String>) -> ApiResult<Response> {
    Ok(versioned(StatusCode::OK, account(&state, &admin, &id).await?))
}

/// The members to change (JSON merge patch, RFC 7396): absent members stay,
/// `null` clears. A changed e-mail address is no longer verified.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<String>)]
    pub given_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<String>)]
    pub family_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<String>)]
    pub phone_number: Option<Option<String>>,
    pub phone_number_verified: Option<bool>,
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<PostalAddress>)]
    pub address: Option<Option<PostalAddress>>,
}

/// Changes an account's profile, if it is still at the version `If-Match`
/// names.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", params(("id" = String, Path), ("If-Match" = String, Header, description = "The ETag read, or *")),
    request_body(content = UserChange, content_type = "application/merge-patch+json"),
    responses((status = 200, body = User, headers(("ETag" = String))), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(State(state): State<AppState>, admin: Admin, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    admin.may_write()?;
    let condition = IfMatch::from_headers(&headers)?;
    let c: UserChange = input::body(&headers, &body)?;
    let current = account(&state, &admin, &id).await?;
    let version = condition.expect(current.version)?;
    let change = ProfileChange {
        given_name: c.given_name,
        family_name: c.family_name,
        email: c.email,
        phone_number: c.phone_number,
        phone_number_verified: c.phone_number_verified,
        address: c.address.map(|a| a.map(Address::from)),
    };
    match users::change_profile(state.app(), &admin.tenant.tenant, &id, version, change, admin.by()).await {
        Ok(a) => Ok(versioned(StatusCode::OK, a)),
        Err(ChangeError::Refused(r)) => Err(refusal(r).into()),
        Err(ChangeError::NotFound) => Err(Problem::not_found("account").into()),
        Err(ChangeError::Stale) => Err(input::stale().into()),
        Err(e @ ChangeError::DirectoryManaged) => Err(Problem::new(StatusCode::CONFLICT, "directory_managed", e.to_string()).into()),
        Err(ChangeError::Failed(e)) => Err(e).problem_err(),
    }
}

/// Erases an account (GDPR art. 17): its services are told its sessions
/// ended, its tokens stop, everything held about the person is deleted;
/// the audit trail keeps one record of the erasure, by the account's
/// random id.
#[utoipa::path(delete, path = "/users/{id}", tag = "users", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove(State(state): State<AppState>, admin: Admin, Path(id): Path<String>) -> ApiResult<StatusCode> {
    admin.may_write()?;
    let done = users::remove(state.app(), &admin.tenant, &id, admin.by()).await.problem_err()?;
    change_refused(done, "erased")?;
    Ok(StatusCode::NO_CONTENT)
}

/// Disables an account: it cannot sign in, its sessions end and its tokens
/// stop at once.
#[utoipa::path(post, path = "/users/{id}/disable", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = User, headers(("ETag" = String))), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn disable(State(state): State<AppState>, admin: Admin, Path(id): Path<String>) -> ApiResult<Response> {
    admin.may_write()?;
    let done = users::disable(state.app(), &admin.tenant, &id, admin.by()).await.problem_err()?;
    change_refused(done, "disabled")?;
    Ok(versioned(StatusCode::OK, account(&state, &admin, &id).await?))
}

/// Enables a disabled account.
#[utoipa::path(post, path = "/users/{id}/enable", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = User, headers(("ETag" = String))), (status = 404, body = Problem)))]
pub async fn enable(State(state): State<AppState>, admin: Admin, Path(id): Path<String>) -> ApiResult<Response> {
    admin.may_write()?;
    let done = users::enable(state.app(), &admin.tenant, &id, admin.by()).await.problem_err()?;
    change_refused(done, "enabled")?;
    Ok(versioned(StatusCode::OK, account(&state, &admin, &id).await?))
}

/// A browser session of an account.
#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    pub id: String,
    /// Browser and system, as the person's account page shows them.
    pub device: String,
    /// How the person signed in (RFC 8176 `amr` values).
    pub methods: Vec<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Lists an account's open sessions.
#[utoipa::path(get, path = "/users/{id}/sessions", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Session>), (status = 404, body = Problem)))]
pub async fn sessions(State(state): State<AppState>, admin: Admin, Path(id): Path<String>) -> ApiResult<Json<Vec<Session>>> {
    account(&state, &admin, &id).await?;
    let open = state.store.account_sessions(&admin.tenant.tenant.id, &id, state.now()).await.problem_err()?;
    Ok(Json(open.into_iter().map(|s| Session { id: s.sid, device: s.label, methods: s.amr, created_at: s.created_at, expires_at: s.expires_at }).collect()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Ended {
    /// How many sessions ended.
    pub ended: usize,
}

/// Ends every session of an account (its services are told) and stops
/// its tokens.
#[utoipa::path(delete, path = "/users/{id}/sessions", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = Ended), (status = 404, body = Problem)))]
pub async fn end_sessions(State(state): State<AppState>, admin: Admin, Path(id): Path<String>) -> ApiResult<Json<Ended>> {
    admin.may_write()?;
    account(&state, &admin, &id).await?;
    let ended = users::end_sessions(state.app(), &admin.tenant, &id).await.problem_err()?;
    admin.audited(&state, "user.sessions_ended", trame_app::audit::user(&id)).await;
    Ok(Json(Ended { ended }))
}

/// What a credential reset removed.
#[derive(Debug, Serialize, ToSchema)]
pub struct RemovedCredentials {
    /// How many passkeys.
    pub passkeys: u64,
    pub password: bool,
    pub totp: bool,
    /// How many unused recovery codes.
    pub recovery_codes: u64,
}

/// The result of a credential reset.
#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialsReset {
    /// Whether a recovery link went to the account's verified address.
    /// When false (no verified address, or mail is off), the person cannot
    /// sign in until given a way another way (e.g. a password set by the
    /// operator, `trame user set-password`).
    pub link_sent: bool,
    pub removed: RemovedCredentials,
    /// How many sessions ended.
    pub sessions_ended: usize,
}

/// Resets an account's credentials, when one may be stolen or the person
/// lost them: its passkeys, password, TOTP and recovery codes are removed,
/// its sessions end (its services are told) and its tokens stop; a
/// recovery link goes to its verified e-mail address, with which the
/// person signs in once and adds a new passkey.
#[utoipa::path(post, path = "/users/{id}/reset-credentials", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = CredentialsReset), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "The installation's last operator")))]
pub async fn reset_credentials(State(state): State<AppState>, admin: Admin, Path(id): Path<String>) -> ApiResult<Json<CredentialsReset>> {
    admin.may_write()?;
    let (reset, link_sent) = match users::reset_credentials(state.app(), &admin.tenant, &id, admin.by()).await.problem_err()? {
        ResetOutcome::LinkSent(r) => (r, true),
        ResetOutcome::NoAddress(r) => (r, false),
        ResetOutcome::NotFound => return Err(Problem::not_found("account").into()),
        ResetOutcome::LastOperator => return Err(last_operator("left without a way to sign in").into()),
    };
    let r = reset.removed;
    Ok(Json(CredentialsReset {
        link_sent,
        removed: RemovedCredentials { passkeys: r.passkeys, password: r.password, totp: r.totp, recovery_codes: r.recovery_codes },
        sessions_ended: reset.sessions_ended,
    }))
}

/// Everything held about the person (GDPR art. 15 and 20), as they would
/// download it from their account page.
#[utoipa::path(get, path = "/users/{id}/export", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
pub async fn export(State(state): State<AppState>, admin: Admin, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let data = personal_data::export(state.app(), &admin.tenant, &id).await.problem_err()?.ok_or_else(|| Problem::not_found("account"))?;
    admin.audited(&state, "user.exported", trame_app::audit::user(&id)).await;
    Ok(Json(data))
}

/// A service the person consented to.
#[derive(Debug, Serialize, ToSchema)]
pub struct Consent {
    pub client_id: String,
    pub scopes: Vec<String>,
    pub granted_at: i64,
}

/// Lists the services the person consented to.
#[utoipa::path(get, path = "/users/{id}/consents", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Consent>), (status = 404, body = Problem)))]
pub async fn consents(State(state): State<AppState>, admin: Admin, Path(id): Path<String>) -> ApiResult<Json<Vec<Consent>>> {
    account(&state, &admin, &id).await?;
    let list = consents::of_user(state.app(), &admin.tenant, &id).await.problem_err()?;
    Ok(Json(
        list.into_iter()
            .map(|c| Consent { scopes: c.scopes.split(' ').map(str::to_owned).collect(), client_id: c.client_id, granted_at: c.granted_at })
            .collect(),
    ))
}

/// Withdraws a consent: the service's tokens for the person stop, it is
/// told over its back channel, and it asks for consent again next time.
#[utoipa::path(delete, path = "/users/{id}/consents/{client_id}", tag = "users", params(("id" = String, Path), ("client_id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn withdraw_consent(State(state): State<AppState>, admin: Admin, Path((id, client_id)): Path<(String, String)>) -> ApiResult<StatusCode> {
    admin.may_write()?;
    account(&state, &admin, &id).await?;
    if consents::withdraw(state.app(), &admin.tenant, &id, &client_id, admin.by()).await.problem_err()? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Problem::not_found("consent").into())
    }
}
