//! Administration rights: who may read or change what, for the admin API,
//! the console and the CLI's `trame admin`.
//!
//! Three roles, held by accounts ([`Role`]): an `operator` administers the
//! whole installation and is an account of the default tenant; a
//! `tenant-admin` administers its own tenant; an `auditor` reads its own
//! tenant. Machines get rights from their token: a client of a tenant with
//! the `trame:admin` scope (`trame:admin:read`) has a tenant-admin's (an
//! auditor's) rights over that tenant; a client of the default tenant that
//! the operator made an operator has an operator's.
//!
//! The installation always keeps one operator: the last one's role cannot
//! be revoked and its account cannot be removed.

use trame_core::scope::{self, Scopes};
use trame_core::tenant::{DEFAULT_SLUG, Tenant};
use trame_store::{RoleGrant, Store, StoreError, TenantKeys};

use crate::audit::{self, Actor, By, Event};
use crate::catalog::TenantEntry;
use crate::error::Error;
use crate::{App, tokens};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Operator,
    TenantAdmin,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 3] = [Self::Operator, Self::TenantAdmin, Self::Auditor];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operator => "operator",
            Self::TenantAdmin => "tenant-admin",
            Self::Auditor => "auditor",
        }
    }
}

/// What a caller may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rights {
    /// Who acts, as the audit trail records it.
    pub actor: Actor,
    /// The tenant of the caller's account or client.
    pub home_tenant: String,
    /// Every tenant, and the installation's own settings.
    pub operator: bool,
    /// Changes, not only reads.
    pub write: bool,
}

impl Rights {
    pub fn may_read(&self, tenant_id: &str) -> bool {
        self.operator || self.home_tenant == tenant_id
    }
    pub fn may_write(&self, tenant_id: &str) -> bool {
        self.write && self.may_read(tenant_id)
    }
    /// Installation-wide changes (tenants made or removed).
    pub fn may_operate(&self) -> bool {
        self.operator && self.write
    }
}

/// The rights of a set of roles held by one principal; `None` without any.
fn rights_of_roles(actor: Actor, home_tenant: &str, roles: &[String]) -> Option<Rights> {
    let has = |r: Role| roles.iter().any(|x| x == r.as_str());
    let operator = has(Role::Operator);
    let write = operator || has(Role::TenantAdmin);
    (write || has(Role::Auditor)).then(|| Rights { actor, home_tenant: home_tenant.to_owned(), operator, write })
}

/// A person's rights, from the roles of their account.
pub async fn rights_of_user(store: &Store, tenant_id: &str, user_id: &str) -> Result<Option<Rights>, StoreError> {
    let roles = store.roles_of(tenant_id, &audit::user(user_id)).await?;
    Ok(rights_of_roles(Actor::User(user_id.to_owned()), tenant_id, &roles))
}

/// What a bearer token presented to the admin API is worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// Not a valid access token of this tenant (expired, revoked, another
    /// tenant's), or one that represents a person, or its client is gone.
    Invalid,
    /// A valid token without an administration scope its client still
    /// holds.
    NoRights,
    Admin(Rights),
}

/// Checks a bearer token presented to the admin API of `tenant`. Only
/// `client_credentials` tokens qualify (they name no person), and only for
/// as long as their client exists and holds the scope: removing either
/// ends the rights at once, not when the token expires.
pub async fn caller(app: &App, tenant: &TenantEntry, keys: &TenantKeys, token: &str) -> Result<Caller, Error> {
    let Some(v) = tokens::inspect_access(app, &tenant.tenant, keys, token, tokens::Need::Grant).await? else {
        return Ok(Caller::Invalid);
    };
    if v.grant.is_some() || v.sub != v.client_id {
        return Ok(Caller::Invalid);
    }
    let Some(client) = tenant.client(&app.store, &v.client_id, app.now()).await? else {
        return Ok(Caller::Invalid);
    };
    let granted = Scopes::parse(&v.scope).unwrap_or_default();
    let held = |s: &str| granted.contains(s) && client.settings.scopes.contains(s);
    let write = held(scope::ADMIN);
    if !write && !held(scope::ADMIN_READ) {
        return Ok(Caller::NoRights);
    }
    let operator = tenant.tenant.slug.as_str() == DEFAULT_SLUG
        && app.store.roles_of(&tenant.tenant.id, &audit::client(&v.client_id)).await?.iter().any(|r| r == Role::Operator.as_str());
    Ok(Caller::Admin(Rights { actor: Actor::Client(v.client_id), home_tenant: tenant.tenant.id.clone(), operator, write }))
}

/// Why a role was not granted or revoked.
#[derive(Debug, thiserror::Error)]
pub enum RoleError {
    #[error("no such account in this tenant")]
    NoSuchAccount,
    #[error("no such client in this tenant")]
    NoSuchClient,
    #[error("an operator is an account or a client of the default tenant")]
    OperatorOutsideDefault,
    #[error("a client's tenant rights come from its trame:admin scopes; only the operator role is granted to a client")]
    ClientTenantRole,
    #[error("the last operator cannot be removed: grant the role to another account first")]
    LastOperator,
    #[error(transparent)]
    Failed(#[from] Error),
}

impl From<StoreError> for RoleError {
    fn from(e: StoreError) -> Self {
        RoleError::Failed(e.into())
    }
}

/// Who a role is granted to or revoked from.
#[derive(Debug, Clone)]
pub enum Holder<'a> {
    Username(&'a str),
    Client(&'a str),
}

async fn principal(store: &Store, tenant: &Tenant, holder: &Holder<'_>, role: Role) -> Result<String, RoleError> {
    if role == Role::Operator && tenant.slug.as_str() != DEFAULT_SLUG {
        return Err(RoleError::OperatorOutsideDefault);
    }
    match holder {
        Holder::Username(name) => {
            let account = store.user_for_sign_in(&tenant.id, name).await?.ok_or(RoleError::NoSuchAccount)?;
            Ok(audit::user(&account.profile.id))
        }
        Holder::Client(id) => {
            if role != Role::Operator {
                return Err(RoleError::ClientTenantRole);
            }
            store.client(&tenant.id, id).await?.ok_or(RoleError::NoSuchClient)?;
            Ok(audit::client(id))
        }
    }
}

/// Grants `role` in `tenant`; false when it was already held.
pub async fn grant(store: &Store, tenant: &Tenant, holder: Holder<'_>, role: Role, now: i64, by: impl Into<By>) -> Result<bool, RoleError> {
    let who = principal(store, tenant, &holder, role).await?;
    let new = store.grant_role(&tenant.id, &who, role.as_str(), now).await?;
    if new {
        audit::record(store, now, Event::new(&tenant.id, by, "role.granted").on(who).with(serde_json::json!({ "role": role.as_str() }))).await;
    }
    Ok(new)
}

/// Revokes `role` in `tenant`; false when it was not held. The last
/// operator keeps theirs.
pub async fn revoke(store: &Store, tenant: &Tenant, holder: Holder<'_>, role: Role, now: i64, by: impl Into<By>) -> Result<bool, RoleError> {
    let who = principal(store, tenant, &holder, role).await?;
    let gone = match store.revoke_role(&tenant.id, &who, role.as_str(), Some(Role::Operator.as_str())).await {
        Err(StoreError::Invalid(_)) => return Err(RoleError::LastOperator),
        r => r?,
    };
    if gone {
        audit::record(store, now, Event::new(&tenant.id, by, "role.revoked").on(who).with(serde_json::json!({ "role": role.as_str() }))).await;
    }
    Ok(gone)
}

/// Whether removing this account would leave the installation without an
/// operator.
pub async fn is_last_operator(store: &Store, tenant_id: &str, user_id: &str) -> Result<bool, StoreError> {
    let roles = store.roles_of(tenant_id, &audit::user(user_id)).await?;
    Ok(roles.iter().any(|r| r == Role::Operator.as_str()) && store.role_holders(Role::Operator.as_str()).await? <= 1)
}

/// Every role held, in one tenant or everywhere.
pub async fn list(store: &Store, tenant_id: Option<&str>) -> Result<Vec<RoleGrant>, StoreError> {
    store.role_grants(tenant_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_each_role_may_do() {
        let actor = || Actor::User("u".into());
        let of = |roles: &[&str]| rights_of_roles(actor(), "t1", &roles.iter().map(|r| (*r).to_owned()).collect::<Vec<_>>());
        assert_eq!(of(&[]), None);
        let auditor = of(&["auditor"]).unwrap();
        assert!(auditor.may_read("t1") && !auditor.may_write("t1") && !auditor.may_read("t2") && !auditor.may_operate());
        let admin = of(&["tenant-admin", "auditor"]).unwrap();
        assert!(admin.may_write("t1") && !admin.may_read("t2") && !admin.may_operate());
        let operator = of(&["operator"]).unwrap();
        assert!(operator.may_write("t2") && operator.may_operate());
        assert_eq!(Role::parse("tenant-admin"), Some(Role::TenantAdmin));
        assert_eq!(Role::parse("admin"), None);
    }
}
