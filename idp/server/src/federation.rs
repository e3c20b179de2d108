//! `trame federation`: a tenant's place in an OpenID Federation.
//!
//! Like the other operator commands, each validates everything before one
//! store write. Reading another entity's statements (adding a Trust Anchor
//! or a subordinate without a key file, `resolve`) goes through the web
//! layer's federation fetcher, the very code the server uses: this
//! instance's tenants in-process, other entities over HTTPS.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, Result, anyhow, bail};
use serde_json::{Value, json};
use trame_app::federation::{FederationFetcher, FetchFor};
use trame_app::outbound::Reach;
use trame_core::federation::{FederationSettings, HeldTrustMark, PeerSignIn, TrustAnchorConfig};
use trame_core::tenant::Tenant;
use trame_core::{Clock, Randomness};
use trame_federation::chain::{Fetcher, TrustAnchor};
use trame_federation::constraints::Constraints;
use trame_federation::policy::resolve_chain_policy;
use trame_federation::statement::{EntityStatement, ValidationOptions, verify_entity_configuration};
use trame_jose::{Alg, Jwks, thumbprint};
use trame_store::{Ephemeral, KeyPurpose, Subordinate};
use trame_web::{AppState, WebConfig};

use crate::cli::{FederationCommand, FederationKeysCommand, SubordinateCommand, TrustAnchorCommand, TrustMarkCommand};
use crate::commands::{Context, rfc3339};

pub async fn run(cx: &mut Context<'_>, cmd: FederationCommand, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Result<()> {
    match cmd {
        FederationCommand::Show(t) => show(cx, &cx.tenant(&t.tenant).await?).await,
        FederationCommand::Set { tenant, authority, authority_hints, no_authority_hints, metadata, unset_metadata } => {
            let t = cx.tenant(&tenant.tenant).await?;
            let mut s = t.federation.clone();
            if let Some(a) = authority {
                s.authority = a;
            }
            if no_authority_hints {
                s.authority_hints.clear();
            } else if !authority_hints.is_empty() {
                for h in &authority_hints {
                    entity_id(h, "--authority-hint")?;
                    if h == t.issuer.as_str() {
                        bail!("--authority-hint: a tenant cannot be its own superior");
                    }
                }
                s.authority_hints = authority_hints;
                s.authority_hints.dedup();
            }
            for m in &metadata {
                let (name, value) = m.split_once('=').ok_or_else(|| anyhow!("--metadata takes NAME=VALUE, got '{m}'"))?;
                let value = if matches!(name, "contacts" | "keywords") {
                    json!(value.split(',').map(str::trim).filter(|v| !v.is_empty()).collect::<Vec<_>>())
                } else {
                    json!(value)
                };
                s.set_entity_metadata(name, Some(value)).map_err(|e| anyhow!("--metadata: {e}"))?;
            }
            for name in &unset_metadata {
                s.set_entity_metadata(name, None).map_err(|e| anyhow!("--unset-metadata: {e}"))?;
            }
            let t = cx.store.set_federation_settings(t.slug.as_str(), &s).await?;
            println!("tenant {}: federation settings saved", t.slug);
            show(cx, &t).await
        }
        FederationCommand::TrustAnchor(c) => trust_anchor(cx, c, &rng, &clock).await,
        FederationCommand::Subordinate(c) => subordinate(cx, c, &rng, &clock).await,
        FederationCommand::TrustMark(c) => trust_mark(cx, c).await,
        FederationCommand::Keys(c) => keys(cx, c).await,
        FederationCommand::Peers { tenant, list_from, require_marks, off } => {
            let t = cx.tenant(&tenant.tenant).await?;
            let mut s = t.federation.clone();
            if off {
                s.peer_sign_in = None;
            } else {
                let current = s.peer_sign_in.clone();
                let list_from =
                    list_from.or(current.as_ref().map(|p| p.list_from.clone())).ok_or_else(|| anyhow!("--list-from is required to switch peer sign-in on"))?;
                entity_id(&list_from, "--list-from")?;
                if s.trust_anchors.is_empty() {
                    bail!("the tenant trusts no Trust Anchor: add one first (trame federation trust-anchor add)");
                }
                for m in &require_marks {
                    url::Url::parse(m).map_err(|_| anyhow!("--require-mark: '{m}' is not a Trust Mark type (a URL)"))?;
                }
                let required_trust_marks = if require_marks.is_empty() { current.map(|p| p.required_trust_marks).unwrap_or_default() } else { require_marks };
                s.peer_sign_in = Some(PeerSignIn { list_from, required_trust_marks });
                if cx.store.ensure_relying_party_key(&t.id, cx.clock.now()).await? {
                    println!("tenant {}: relying party key created (for peer sign-in)", t.slug);
                }
            }
            let t = cx.store.set_federation_settings(t.slug.as_str(), &s).await?;
            println!("tenant {}: federation settings saved", t.slug);
            show(cx, &t).await
        }
        FederationCommand::Resolve { entity_id: subject, trust_anchor, tenant, trust_anchor_jwks } => {
            entity_id(&subject, "the entity")?;
            entity_id(&trust_anchor, "--trust-anchor")?;
            let state = web_state(cx, rng.clone(), clock.clone()).await?;
            let configured = match &tenant {
                Some(slug) => cx.tenant(slug).await?.federation.trust_anchor(&trust_anchor).cloned(),
                None => None,
            };
            let jwks = match (configured, trust_anchor_jwks) {
                (Some(a), _) => Jwks::parse(&a.jwks).context("the tenant's stored keys for this anchor")?,
                (None, Some(file)) => read_jwks(&file)?,
                (None, None) => {
                    let ec = fetch_configuration(&state, cli_reach(cx), &trust_anchor, cx.clock.now()).await?;
                    eprintln!("note: the anchor's keys were taken from its own Entity Configuration; compare their thumbprints out of band:");
                    print_thumbprints(&ec.jwks);
                    ec.jwks
                }
            };
            let anchors = [TrustAnchor { entity_id: trust_anchor.clone(), jwks }];
            let chain = state
                .chains
                .resolve(&state, &FetchFor::operator(cli_reach(cx)), &subject, &anchors)
                .await
                .map_err(|e| anyhow!("no valid trust chain from {subject} to {trust_anchor}: {e}"))?;
            let out = json!({
                "sub": chain.subject,
                "trust_anchor": chain.trust_anchor,
                "expires_at": rfc3339(chain.expires_at),
                "metadata": chain.metadata,
                "trust_chain": chain.statements,
            });
            println!("{}", serde_json::to_string_pretty(&out).expect("JSON prints"));
            Ok(())
        }
    }
}

/// An AppState for reading statements: this instance's tenants from the
/// store, the outbound reach from the settings, no Redis.
async fn web_state(cx: &Context<'_>, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Result<AppState> {
    let config = WebConfig {
        public_url: cx.config.public_url.clone(),
        public_authority: cx.config.public_url.authority(),
        trusted_proxies: Vec::new(),
        outbound_reach: cx.config.outbound_reach,
        outbound_proxy: cx.config.outbound_proxy.clone(),
        console_acr: cx.config.console_acr.clone(),
        providers: cx.config.providers.clone(),
        themes_dir: None,
    };
    let now = clock.now();
    let state = AppState::new(cx.store.clone(), Ephemeral::memory(), config, rng, clock);
    state.catalog.refresh(cx.store, now).await.context("cannot load tenants")?;
    Ok(state)
}

fn entity_id(s: &str, what: &str) -> Result<()> {
    if trame_federation::entity_id::is_valid(s) {
        Ok(())
    } else {
        bail!("{what}: '{s}' is not an Entity Identifier (an https URL with a host, no query or fragment)")
    }
}

fn read_json(file: &Path, what: &str) -> Result<Value> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {what} {}", file.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{what} {} is not JSON", file.display()))
}

fn read_jwks(file: &Path) -> Result<Jwks> {
    Jwks::parse(&read_json(file, "the JWK Set")?).map_err(|e| anyhow!("the JWK Set {}: {e}", file.display()))
}

fn print_thumbprints(jwks: &Jwks) {
    for k in jwks.to_json()["keys"].as_array().into_iter().flatten() {
        let tp = k.as_object().and_then(thumbprint).unwrap_or_else(|| "?".into());
        eprintln!("  kid {}  SHA-256 thumbprint {tp}", k["kid"].as_str().unwrap_or("?"));
    }
}

/// The reach of the operator's commands: they act for the installation,
/// so that of its public URL (`outbound::for_issuer`).
fn cli_reach(cx: &Context<'_>) -> Reach {
    trame_app::outbound::for_issuer(cx.config.outbound_reach, cx.config.public_url.as_str())
}

/// An entity's Entity Configuration, fetched and checked (self-signed,
/// well-formed, current).
async fn fetch_configuration(state: &AppState, reach: Reach, id: &str, now: i64) -> Result<EntityStatement> {
    let by = FetchFor::operator(reach);
    let fetcher = FederationFetcher::new(state, &by);
    let jwt = fetcher.fetch_entity_configuration(id).await.map_err(|e| anyhow!("cannot fetch the Entity Configuration of {id}: {e}"))?;
    let parsed =
        verify_entity_configuration(&jwt, None, &ValidationOptions::at(now)).map_err(|e| anyhow!("the Entity Configuration of {id} is invalid: {e}"))?;
    if parsed.statement.sub != id {
        bail!("the Entity Configuration fetched for {id} is about {}", parsed.statement.sub);
    }
    Ok(parsed.statement)
}

async fn save(cx: &Context<'_>, t: &Tenant, s: &FederationSettings) -> Result<Tenant> {
    Ok(cx.store.set_federation_settings(t.slug.as_str(), s).await?)
}

async fn trust_anchor(cx: &Context<'_>, cmd: TrustAnchorCommand, rng: &Arc<dyn Randomness>, clock: &Arc<dyn Clock>) -> Result<()> {
    match cmd {
        TrustAnchorCommand::Add { tenant, entity_id: id, jwks_file } => {
            entity_id(&id, "the trust anchor")?;
            let t = cx.tenant(&tenant.tenant).await?;
            let jwks = match jwks_file {
                Some(f) => read_jwks(&f)?,
                None => {
                    let ec = fetch_configuration(&web_state(cx, rng.clone(), clock.clone()).await?, cli_reach(cx), &id, cx.clock.now()).await?;
                    if ec.authority_hints.as_ref().is_some_and(|h| !h.is_empty()) {
                        eprintln!("note: {id} has authority hints of its own; it is trusted here as an anchor all the same");
                    }
                    println!("keys of {id}, taken from its Entity Configuration (compare out of band):");
                    ec.jwks
                }
            };
            print_thumbprints(&jwks);
            let mut s = t.federation.clone();
            s.trust_anchors.retain(|a| a.entity_id != id);
            s.trust_anchors.push(TrustAnchorConfig { entity_id: id.clone(), jwks: jwks.to_json() });
            let t = save(cx, &t, &s).await?;
            println!("tenant {}: trusts {id}", t.slug);
        }
        TrustAnchorCommand::Remove { tenant, entity_id: id } => {
            let t = cx.tenant(&tenant.tenant).await?;
            let mut s = t.federation.clone();
            let before = s.trust_anchors.len();
            s.trust_anchors.retain(|a| a.entity_id != id);
            if s.trust_anchors.len() == before {
                bail!("tenant {} does not trust {id}", t.slug);
            }
            let t = save(cx, &t, &s).await?;
            println!("tenant {}: no longer trusts {id}", t.slug);
        }
    }
    Ok(())
}

/// The entity types an Entity Configuration declares (its metadata keys).
fn declared_types(ec: &EntityStatement) -> Vec<String> {
    ec.metadata.as_ref().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

async fn subordinate(cx: &Context<'_>, cmd: SubordinateCommand, rng: &Arc<dyn Randomness>, clock: &Arc<dyn Clock>) -> Result<()> {
    match cmd {
        SubordinateCommand::Add { tenant, entity_id: id, jwks_file, policy_file, policy_crit, constraints_file, metadata_file, entity_types, intermediate } => {
            entity_id(&id, "the subordinate")?;
            let t = cx.tenant(&tenant.tenant).await?;
            if id == t.issuer.as_str() {
                bail!("a tenant cannot be its own subordinate");
            }
            let metadata_policy = policy_file.map(|f| read_json(&f, "the metadata policy")).transpose()?;
            if let Some(p) = &metadata_policy {
                // The operators and their combinations must hold on their own.
                resolve_chain_policy([p], &policy_crit).map_err(|e| anyhow!("the metadata policy is invalid: {e}"))?;
            }
            let constraints = constraints_file.map(|f| read_json(&f, "the constraints")).transpose()?;
            if let Some(c) = &constraints {
                Constraints::parse(c).map_err(|e| anyhow!("the constraints are invalid: {e}"))?;
            }
            let metadata = metadata_file.map(|f| read_json(&f, "the metadata")).transpose()?;
            if metadata.as_ref().is_some_and(|m| !m.is_object()) {
                bail!("the metadata must be a JSON object keyed by entity type");
            }
            let (jwks, declared, publishes_fetch) = match jwks_file {
                Some(f) => (read_jwks(&f)?, Vec::new(), false),
                None => {
                    let ec = fetch_configuration(&web_state(cx, rng.clone(), clock.clone()).await?, cli_reach(cx), &id, cx.clock.now()).await?;
                    if !ec.authority_hints.as_ref().is_some_and(|h| h.iter().any(|h| h == t.issuer.as_str())) {
                        eprintln!(
                            "note: {id} does not list {} in its authority_hints yet; chains through this tenant will not be found until it does",
                            t.issuer
                        );
                    }
                    let fetch = ec.fetch_endpoint().is_some();
                    (ec.jwks.clone(), declared_types(&ec), fetch)
                }
            };
            let entity_types = if entity_types.is_empty() { declared } else { entity_types };
            if entity_types.is_empty() {
                bail!("give the entity's types with --entity-type (they could not be read from its Entity Configuration)");
            }
            let intermediate = intermediate.unwrap_or(publishes_fetch);
            let sub = Subordinate {
                entity_id: id.clone(),
                jwks: jwks.to_json(),
                entity_types,
                intermediate,
                metadata_policy,
                metadata_policy_crit: (!policy_crit.is_empty()).then_some(policy_crit),
                constraints,
                metadata,
                updated_at: cx.clock.now(),
            };
            cx.store.put_subordinate(&t.id, &sub, cx.clock.now()).await?;
            println!("tenant {}: {id} enrolled ({}{})", t.slug, sub.entity_types.join(", "), if intermediate { ", intermediate" } else { "" });
            if !t.federation.authority {
                eprintln!(
                    "note: tenant {} is not an authority yet: `trame federation set --tenant {} --authority true` publishes its fetch and list endpoints",
                    t.slug, t.slug
                );
            }
        }
        SubordinateCommand::Remove { tenant, entity_id: id } => {
            let t = cx.tenant(&tenant.tenant).await?;
            if !cx.store.remove_subordinate(&t.id, &id).await? {
                bail!("{id} is not a subordinate of tenant {}", t.slug);
            }
            println!("tenant {}: {id} removed", t.slug);
        }
        SubordinateCommand::List(tenant) => {
            let t = cx.tenant(&tenant.tenant).await?;
            println!("{:<56} {:<12} {:<8} TYPES", "ENTITY", "INTERMEDIATE", "POLICY");
            for s in cx.store.list_subordinates(&t.id).await? {
                println!("{:<56} {:<12} {:<8} {}", s.entity_id, s.intermediate, s.metadata_policy.is_some(), s.entity_types.join(","));
            }
        }
    }
    Ok(())
}

async fn trust_mark(cx: &mut Context<'_>, cmd: TrustMarkCommand) -> Result<()> {
    match cmd {
        TrustMarkCommand::Issue { tenant, trust_mark_type, sub, days } => {
            entity_id(&sub, "--sub")?;
            mark_type(&trust_mark_type)?;
            if days.is_some_and(|d| !(1..=3650).contains(&d)) {
                bail!("--days must be between 1 and 3650");
            }
            let t = cx.tenant(&tenant.tenant).await?;
            let now = cx.clock.now();
            let m = cx.store.issue_trust_mark(&t.id, &trust_mark_type, &sub, days.map(|d| now + d * 86400), now).await?;
            let until = m.expires_at.map(rfc3339).unwrap_or_else(|| "no expiry".into());
            println!("tenant {}: trust mark {trust_mark_type} issued to {sub} ({until})", t.slug);
        }
        TrustMarkCommand::Revoke { tenant, trust_mark_type, sub } => {
            let t = cx.tenant(&tenant.tenant).await?;
            if !cx.store.revoke_trust_mark(&t.id, &trust_mark_type, &sub, cx.clock.now()).await? {
                bail!("tenant {} has no current trust mark {trust_mark_type} for {sub}", t.slug);
            }
            println!("tenant {}: trust mark {trust_mark_type} of {sub} revoked", t.slug);
        }
        TrustMarkCommand::List(tenant) => {
            let t = cx.tenant(&tenant.tenant).await?;
            let now = cx.clock.now();
            println!("{:<48} {:<48} {:<9} {:<22} EXPIRES", "TYPE", "SUBJECT", "STATUS", "ISSUED");
            for m in cx.store.issued_trust_marks(&t.id, None, None).await? {
                let status = if m.revoked_at.is_some() {
                    "revoked"
                } else if m.is_active(now) {
                    "active"
                } else {
                    "expired"
                };
                println!(
                    "{:<48} {:<48} {:<9} {:<22} {}",
                    m.trust_mark_type,
                    m.subject,
                    status,
                    rfc3339(m.issued_at),
                    m.expires_at.map(rfc3339).unwrap_or_else(|| "-".into())
                );
            }
        }
        TrustMarkCommand::Hold(tenant) => {
            let t = cx.tenant(&tenant.tenant).await?;
            let jwt = cx.read_line("trust mark JWT")?;
            let decoded = trame_jose::decode(jwt.trim()).map_err(|e| anyhow!("the trust mark is not a JWT: {e}"))?;
            let mark = trame_federation::trust_mark::TrustMark::from_claims(&decoded.claims).map_err(|e| anyhow!("the trust mark: {e}"))?;
            if decoded.typ() != Some(trame_federation::trust_mark::TRUST_MARK_TYP) {
                bail!("the JWT's typ is not {}", trame_federation::trust_mark::TRUST_MARK_TYP);
            }
            if mark.sub != t.issuer.as_str() {
                bail!("the trust mark is about {}, not this tenant ({})", mark.sub, t.issuer);
            }
            if mark.exp.is_some_and(|e| e <= cx.clock.now()) {
                bail!("the trust mark has expired");
            }
            let mut s = t.federation.clone();
            s.trust_marks.retain(|m| m.trust_mark_type != mark.trust_mark_type);
            s.trust_marks.push(HeldTrustMark { trust_mark_type: mark.trust_mark_type.clone(), trust_mark: jwt.trim().to_owned() });
            let t = save(cx, &t, &s).await?;
            println!("tenant {}: shows trust mark {} from {}", t.slug, mark.trust_mark_type, mark.iss);
        }
        TrustMarkCommand::Drop { tenant, trust_mark_type } => {
            let t = cx.tenant(&tenant.tenant).await?;
            let mut s = t.federation.clone();
            let before = s.trust_marks.len();
            s.trust_marks.retain(|m| m.trust_mark_type != trust_mark_type);
            if s.trust_marks.len() == before {
                bail!("tenant {} shows no trust mark {trust_mark_type}", t.slug);
            }
            let t = save(cx, &t, &s).await?;
            println!("tenant {}: no longer shows {trust_mark_type}", t.slug);
        }
        TrustMarkCommand::Issuers { tenant, trust_mark_type, issuers, remove } => {
            mark_type(&trust_mark_type)?;
            for i in &issuers {
                entity_id(i, "--issuer")?;
            }
            let t = cx.tenant(&tenant.tenant).await?;
            let mut s = t.federation.clone();
            if remove {
                if s.trust_mark_issuers.remove(&trust_mark_type).is_none() {
                    bail!("tenant {} lists no issuers for {trust_mark_type}", t.slug);
                }
            } else {
                s.trust_mark_issuers.insert(trust_mark_type.clone(), json!(issuers));
            }
            let t = save(cx, &t, &s).await?;
            println!("tenant {}: trust_mark_issuers saved", t.slug);
        }
    }
    Ok(())
}

fn mark_type(s: &str) -> Result<()> {
    match url::Url::parse(s) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host_str().is_some() => Ok(()),
        _ => bail!("--type: a Trust Mark type is a URL, got '{s}'"),
    }
}

async fn keys(cx: &mut Context<'_>, cmd: FederationKeysCommand) -> Result<()> {
    match cmd {
        FederationKeysCommand::List { tenant, relying_party } => {
            let t = cx.tenant(&tenant.tenant).await?;
            println!("{:<46} {:<6} {:<9} {:<22} CREATED", "KID", "ALG", "STATUS", "SIGNS FROM");
            for k in cx.store.list_keys_for(&t.id, purpose(relying_party), cx.clock.now()).await? {
                let status = if k.revoked_at.is_some() { "revoked" } else { k.status.as_str() };
                println!("{:<46} {:<6} {:<9} {:<22} {}", k.kid, k.alg, status, rfc3339(k.activates_at), rfc3339(k.created_at));
            }
        }
        FederationKeysCommand::Rotate { tenant, delay, relying_party } => {
            if !(0..=30 * 24 * 3600).contains(&delay) {
                bail!("--delay must be between 0 and 2592000 seconds");
            }
            let t = cx.tenant(&tenant.tenant).await?;
            let now = cx.clock.now();
            let kid = cx.store.rotate_key_for(&t.id, purpose(relying_party), Alg::ES256, now + delay, now).await?;
            println!("new {} key {kid}, signing from {}", purpose(relying_party).as_str().replace('_', " "), rfc3339(now + delay));
            if !relying_party && !t.federation.authority_hints.is_empty() {
                println!("tell your superiors ({}) to re-enrol this tenant so their statements carry the new key", t.federation.authority_hints.join(", "));
            }
        }
        FederationKeysCommand::Revoke { tenant, kid, reason } => {
            let t = cx.tenant(&tenant.tenant).await?;
            cx.store.revoke_federation_key(&t.id, &kid, &reason, cx.clock.now()).await?;
            println!("federation key {kid} revoked ({reason})");
        }
    }
    Ok(())
}

fn purpose(relying_party: bool) -> KeyPurpose {
    if relying_party { KeyPurpose::RelyingParty } else { KeyPurpose::Federation }
}

async fn show(cx: &Context<'_>, t: &Tenant) -> Result<()> {
    let f = &t.federation;
    println!("entity id:       {}", t.issuer);
    println!("authority:       {}", f.authority);
    println!("authority hints: {}", if f.authority_hints.is_empty() { "(none: a Trust Anchor)".into() } else { f.authority_hints.join(", ") });
    println!(
        "trust anchors:   {}",
        if f.trust_anchors.is_empty() { "(none)".into() } else { f.trust_anchors.iter().map(|a| a.entity_id.as_str()).collect::<Vec<_>>().join(", ") }
    );
    for m in &f.trust_marks {
        println!("holds mark:      {}", m.trust_mark_type);
    }
    match &f.peer_sign_in {
        None => println!("peer sign-in:    off"),
        Some(p) => {
            println!("peer sign-in:    peers listed by {}", p.list_from);
            for m in &p.required_trust_marks {
                println!("  requires mark: {m}");
            }
        }
    }
    for (k, v) in &f.entity_metadata {
        println!("metadata:        {k} = {v}");
    }
    let subs = cx.store.list_subordinates(&t.id).await?;
    println!("subordinates:    {}", subs.len());
    let keys = cx.store.list_federation_keys(&t.id, cx.clock.now()).await?;
    let active: Vec<_> = keys.iter().filter(|k| k.revoked_at.is_none() && k.status == trame_store::KeyStatus::Active).map(|k| k.kid.as_str()).collect();
    println!("signing key:     {}", active.join(", "));
    Ok(())
}
