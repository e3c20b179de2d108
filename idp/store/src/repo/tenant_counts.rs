//! How many accounts and clients each tenant of a page holds, for the
//! operators' tenant list: two statements per page, whatever its size
//! (one count per tenant was 201 round trips for a page of 100), and
//! accounts counted only up to a cap, so a tenant of a million accounts
//! costs no more than one of ten thousand (an exact count of a million
//! index entries took 90–130 ms on the bench's PostgreSQL).

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Expr, Query, SelectStatement, UnionType};
use sea_orm::{ConnectionTrait, ExprTrait, QueryResult};

use crate::entity::{client, user};
use crate::{Result, Store, StoreError};

/// Accounts and clients of one tenant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TenantCounts {
    /// Accounts, at most the cap asked for.
    pub users: u64,
    /// Whether it has more accounts than the cap.
    pub users_capped: bool,
    pub clients: u64,
}

fn count_of(row: &QueryResult) -> Result<(String, u64)> {
    let id: String = row.try_get_by_index(0).map_err(StoreError::Db)?;
    let n: i64 = row.try_get_by_index(1).map_err(StoreError::Db)?;
    Ok((id, u64::try_from(n).unwrap_or(0)))
}

impl Store {
    /// The counts of these tenants (by id); accounts counted up to `cap`
    /// (`users_capped` says there are more).
    pub async fn tenant_counts(&self, tenant_ids: &[String], cap: u64) -> Result<HashMap<String, TenantCounts>> {
        let mut out: HashMap<String, TenantCounts> = tenant_ids.iter().map(|id| (id.clone(), TenantCounts::default())).collect();
        if tenant_ids.is_empty() {
            return Ok(out);
        }
        let backend = self.db.get_database_backend();
        // Accounts: one capped count per tenant, in one statement
        // (SELECT id, (SELECT COUNT(*) FROM (SELECT 1 … LIMIT cap+1)) UNION ALL …).
        let capped = |id: &String| -> SelectStatement {
            let first =
                Query::select().expr(Expr::val(1)).from(user::Entity).and_where(Expr::col(user::Column::TenantId).eq(id.as_str())).limit(cap + 1).to_owned();
            Query::select().expr(Expr::val(id.as_str())).expr(Expr::cust("COUNT(*)")).from_subquery(first, Alias::new("first_accounts")).to_owned()
        };
        let mut users = capped(&tenant_ids[0]);
        for id in &tenant_ids[1..] {
            users.union(UnionType::All, capped(id));
        }
        for row in self.db.query_all_raw(backend.build(&users)).await.map_err(StoreError::Db)? {
            let (id, n) = count_of(&row)?;
            if let Some(c) = out.get_mut(&id) {
                c.users = std::cmp::min(n, cap);
                c.users_capped = n > cap;
            }
        }
        // Clients: a tenant has a few dozen; one grouped count.
        let clients = Query::select()
            .column(client::Column::TenantId)
            .expr(Expr::cust("COUNT(*)"))
            .from(client::Entity)
            .and_where(Expr::col(client::Column::TenantId).is_in(tenant_ids.iter().map(String::as_str)))
            .group_by_col(client::Column::TenantId)
            .to_owned();
        for row in self.db.query_all_raw(backend.build(&clients)).await.map_err(StoreError::Db)? {
            let (id, n) = count_of(&row)?;
            if let Some(c) = out.get_mut(&id) {
                c.clients = n;
            }
        }
        Ok(out)
    }
}
