//! The consent page: the person sees which data a service asks for and
//! allows or denies it. Decisions are remembered per client and scope set.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::context;
use trame_core::oauth::ErrorCode;

use crate::error::redirect_error;
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{ClientIp, FormParams, single};
use crate::interaction::{self, Starter};
use crate::pages::{InteractionQuery, lang_for};
use crate::session;
use crate::signin::{proceed, validated};
use crate::state::AppState;
use crate::tenancy::TenantCtx;

pub async fn show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<InteractionQuery>) -> ApiResult<Response> {
    let mut ia = interaction::load(&state, &tenant.tenant, &headers, &q.interaction).await?;
    let session =
        session::current(&state, &tenant.tenant, &headers).await?.ok_or_else(|| ApiError::page(StatusCode::BAD_REQUEST, "error-interaction-expired"))?;
    interaction::mark_seen(&state, &q.interaction, &mut ia).await.html_err()?;
    let (client, req) = validated(&state, &tenant, &ia.params).await?;
    let user = state.store.user_by_id(&tenant.tenant.id, &session.user_id).await.html_err()?;
    let scopes: Vec<String> = req.scopes.in_reading_order().into_iter().map(str::to_owned).collect();
    Ok(state.themes.page(
        StatusCode::OK,
        "consent.html",
        context! {
            lang => lang_for(&state, &ia, &headers),
            tenant => crate::branding::view(&tenant.tenant),
            client_name => client.name.clone().unwrap_or_else(|| client.id.as_str().to_owned()),
            // Links only: the service's logo is not loaded, so the page
            // fetches nothing from a third party.
            policy_uri => client.info.policy_uri.clone(),
            tos_uri => client.info.tos_uri.clone(),
            username => user.map(|u| u.username).unwrap_or_default(),
            scopes => scopes,
            interaction => q.interaction,
            csrf => ia.csrf,
        },
    ))
}

pub async fn submit(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let get = |n: &str| single(&f, n).ok().flatten().unwrap_or_default().to_owned();
    let (id, mut ia) = interaction::posted(&state, &tenant.tenant, &headers, &f).await?;
    let session =
        session::current(&state, &tenant.tenant, &headers).await?.ok_or_else(|| ApiError::page(StatusCode::BAD_REQUEST, "error-interaction-expired"))?;
    let (client, req) = validated(&state, &tenant, &ia.params).await?;
    match get("decision").as_str() {
        "approve" => {
            state.store.save_consent(&tenant.tenant.id, &session.user_id, client.id.as_str(), &req.scopes.to_string_sorted(), state.now()).await.html_err()?;
            let detail = serde_json::json!({ "client_id": client.id.as_str(), "scopes": req.scopes.to_string_sorted() });
            crate::account_guard::audited_with(&state, &tenant, &session.user_id, "consent.given", ip, Some(detail)).await;
            ia.consented = true;
            let binding = ia.binding.clone();
            let params = ia.params.clone();
            proceed(&state, &tenant, Some(session), params, Some((id, ia)), Starter { binding, ip: None }).await
        }
        "deny" => {
            interaction::delete(&state, &id).await.html_err()?;
            Err(redirect_error(&tenant, &req.reply, ErrorCode::AccessDenied, "the user denied the request"))
        }
        _ => Err(ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request")),
    }
}
