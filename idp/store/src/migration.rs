//! Schema migrations. They run at start-up and with `trame migrate`; each is
//! applied once, in order, and recorded in `seaql_migrations`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_passkeys::Migration),
            Box::new(m0003_client_metadata::Migration),
            Box::new(m0004_dynamic_clients::Migration),
            Box::new(m0005_federation::Migration),
            Box::new(m0006_federation_clients::Migration),
            Box::new(m0007_peer_sign_in::Migration),
            Box::new(m0008_durable_revocations::Migration),
            Box::new(m0009_credential_binding::Migration),
            Box::new(m0010_contact::Migration),
            Box::new(m0011_audit::Migration),
            Box::new(m0012_admin::Migration),
            Box::new(m0013_tenant_issuer::Migration),
            Box::new(m0014_branding::Migration),
            Box::new(m0015_transparency::Migration),
            Box::new(m0016_time_zone::Migration),
            Box::new(m0017_cas::Migration),
            Box::new(m0018_directories::Migration),
        ]
    }
}

mod m0001_foundation {
    use super::*;

    pub struct Migration;

    // Named explicitly: the derive would name it after the file, which holds
    // every migration.
    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0001_foundation"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table("tenants")
                    .col(string("id").primary_key())
                    .col(string_uniq("slug"))
                    .col(string_uniq("issuer"))
                    .col(string("display_name"))
                    .col(string("pairwise_salt"))
                    .col(big_integer("created_at"))
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table("users")
                    .col(string("id").primary_key())
                    .col(string("tenant_id"))
                    .col(string("username"))
                    .col(string("username_key"))
                    .col(string_null("email"))
                    .col(boolean("email_verified"))
                    .col(string_null("given_name"))
                    .col(string_null("family_name"))
                    .col(string_null("phone_number"))
                    .col(text_null("password_hash"))
                    .col(big_integer("created_at"))
                    .col(big_integer("updated_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("users", "users_tenant_username", &["tenant_id", "username_key"], true)).await?;
            m.create_table(
                Table::create()
                    .table("clients")
                    .col(string("id").primary_key())
                    .col(string("tenant_id"))
                    .col(string("client_id"))
                    .col(string_null("name"))
                    .col(string_null("secret_digest"))
                    .col(string("auth_method"))
                    .col(text("redirect_uris"))
                    .col(text("post_logout_redirect_uris"))
                    .col(text("grant_types"))
                    .col(text("scopes"))
                    .col(string("subject_type"))
                    .col(string_null("sector_identifier"))
                    .col(string("pkce"))
                    .col(boolean("skip_consent"))
                    .col(string("id_token_alg"))
                    .col(text_null("jwks_uri"))
                    .col(text_null("jwks"))
                    .col(big_integer("created_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("clients", "clients_tenant_client", &["tenant_id", "client_id"], true)).await?;
            m.create_table(
                Table::create()
                    .table("signing_keys")
                    .col(string("kid").primary_key())
                    .col(string("tenant_id"))
                    .col(string("alg"))
                    .col(text("private_key_sealed"))
                    .col(text("public_jwk"))
                    .col(big_integer("activates_at"))
                    .col(big_integer("created_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("signing_keys", "signing_keys_tenant", &["tenant_id", "alg", "activates_at"], false)).await?;
            m.create_table(
                Table::create()
                    .table("consents")
                    .col(string("id").primary_key())
                    .col(string("tenant_id"))
                    .col(string("user_id"))
                    .col(string("client_id"))
                    .col(text("scopes"))
                    .col(big_integer("granted_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("consents", "consents_unique", &["tenant_id", "user_id", "client_id"], true)).await?;
            m.create_table(
                Table::create()
                    .table("grants")
                    .col(string("id").primary_key())
                    .col(string("tenant_id"))
                    .col(string("client_id"))
                    .col(string("user_id"))
                    .col(text("scopes"))
                    .col(text("claims"))
                    .col(big_integer("auth_time"))
                    .col(string("acr"))
                    .col(text("amr"))
                    .col(string("sid"))
                    .col(big_integer("created_at"))
                    .col(big_integer("expires_at"))
                    .col(big_integer_null("revoked_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("grants", "grants_user", &["tenant_id", "user_id"], false)).await?;
            m.create_table(
                Table::create()
                    .table("refresh_tokens")
                    .col(string("digest").primary_key())
                    .col(string("grant_id"))
                    .col(big_integer("created_at"))
                    .col(big_integer("expires_at"))
                    .col(big_integer_null("used_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("refresh_tokens", "refresh_tokens_grant", &["grant_id"], false)).await?;
            m.create_table(Table::create().table("catalog_version").col(integer("id").primary_key()).col(big_integer("version")).to_owned()).await?;
            let insert = Query::insert().into_table("catalog_version").columns(["id", "version"]).values_panic([1.into(), 1i64.into()]).to_owned();
            m.exec_stmt(insert).await?;
            Ok(())
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            for t in ["catalog_version", "refresh_tokens", "grants", "consents", "signing_keys", "clients", "users", "tenants"] {
                m.drop_table(Table::drop().table(t).to_owned()).await?;
            }
            Ok(())
        }
    }
}

/// Passkeys, recovery codes, TOTP, account sessions, invitations and the
/// tenant's sign-in settings.
mod m0002_passkeys {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0002_passkeys"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            // SQLite adds one column per ALTER TABLE.
            for col in [
                string("registration").default("closed").to_owned(),
                string("counter_policy").default("refuse").to_owned(),
                text("acr_policy").default("[]").to_owned(),
            ] {
                m.alter_table(Table::alter().table("tenants").add_column(col).to_owned()).await?;
            }
            for col in [text_null("totp_secret_sealed").to_owned(), big_integer("totp_last_step").default(0).to_owned()] {
                m.alter_table(Table::alter().table("users").add_column(col).to_owned()).await?;
            }
            m.create_index(index("users", "users_tenant_email", &["tenant_id", "email"], false)).await?;
            m.create_table(
                Table::create()
                    .table("passkeys")
                    .col(string("id").primary_key())
                    .col(string("tenant_id"))
                    .col(string("user_id"))
                    .col(string_uniq("credential_id"))
                    .col(string("name"))
                    .col(text("public_key"))
                    .col(text("dynamic_state"))
                    .col(big_integer("sign_count"))
                    .col(boolean("backup_eligible"))
                    .col(boolean("backup_state"))
                    .col(string("aaguid"))
                    .col(text("transports"))
                    .col(big_integer("created_at"))
                    .col(big_integer_null("last_used_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("passkeys", "passkeys_user", &["tenant_id", "user_id"], false)).await?;
            m.create_table(
                Table::create()
                    .table("recovery_codes")
                    .col(string("digest").primary_key())
                    .col(string("tenant_id"))
                    .col(string("user_id"))
                    .col(big_integer("created_at"))
                    .col(big_integer_null("used_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("recovery_codes", "recovery_codes_user", &["tenant_id", "user_id"], false)).await?;
            m.create_table(
                Table::create()
                    .table("account_sessions")
                    .col(string("sid").primary_key())
                    .col(string("tenant_id"))
                    .col(string("user_id"))
                    .col(string("store_key"))
                    .col(string("label"))
                    .col(text("amr"))
                    .col(big_integer("created_at"))
                    .col(big_integer("expires_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("account_sessions", "account_sessions_user", &["tenant_id", "user_id"], false)).await?;
            m.create_table(
                Table::create()
                    .table("invitations")
                    .col(string("digest").primary_key())
                    .col(string("tenant_id"))
                    .col(string_null("email"))
                    .col(big_integer("created_at"))
                    .col(big_integer("expires_at"))
                    .col(big_integer_null("used_at"))
                    .to_owned(),
            )
            .await?;
            Ok(())
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            for t in ["invitations", "account_sessions", "recovery_codes", "passkeys"] {
                m.drop_table(Table::drop().table(t).to_owned()).await?;
            }
            Ok(())
        }
    }
}

/// An index over `cols` of `table`.
fn index(table: &'static str, name: &'static str, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(*c);
    }
    if unique {
        idx.unique();
    }
    idx.to_owned()
}

/// Client metadata of the OpenID Connect registration spec beyond the
/// foundation's: signed UserInfo.
mod m0003_client_metadata {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0003_client_metadata"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("clients").add_column(string_null("userinfo_alg")).to_owned()).await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("clients").drop_column("userinfo_alg").to_owned()).await
        }
    }
}

/// Dynamic client registration (RFC 7591/7592): the rest of the registration
/// metadata, the registration access token, initial access tokens, the
/// tenant's registration settings; and the queue of back-channel logout
/// notifications.
mod m0004_dynamic_clients {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0004_dynamic_clients"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            // SQLite adds one column per ALTER TABLE.
            for col in [
                string_null("registration_token_digest").to_owned(),
                string_null("token_auth_alg").to_owned(),
                big_integer_null("default_max_age").to_owned(),
                text("default_acr_values").default("[]").to_owned(),
                text_null("backchannel_logout_uri").to_owned(),
                boolean("backchannel_logout_session_required").default(false).to_owned(),
                text_null("frontchannel_logout_uri").to_owned(),
                boolean("frontchannel_logout_session_required").default(false).to_owned(),
                string("application_type").default("web").to_owned(),
                text_null("client_uri").to_owned(),
                text_null("logo_uri").to_owned(),
                text_null("policy_uri").to_owned(),
                text_null("tos_uri").to_owned(),
                text("contacts").default("[]").to_owned(),
                text_null("sector_identifier_uri").to_owned(),
                text_null("initiate_login_uri").to_owned(),
                string_null("software_id").to_owned(),
                string_null("software_version").to_owned(),
                boolean("require_auth_time").default(false).to_owned(),
            ] {
                m.alter_table(Table::alter().table("clients").add_column(col).to_owned()).await?;
            }
            for col in [string("dynamic_registration").default("closed").to_owned(), string("dynamic_client_pkce").default("required").to_owned()] {
                m.alter_table(Table::alter().table("tenants").add_column(col).to_owned()).await?;
            }
            m.create_table(
                Table::create()
                    .table("initial_access_tokens")
                    .col(string("digest").primary_key())
                    .col(string("tenant_id"))
                    .col(big_integer("created_at"))
                    .col(big_integer("expires_at"))
                    .col(big_integer_null("uses_left"))
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table("logout_deliveries")
                    .col(string("id").primary_key())
                    .col(string("tenant_id"))
                    .col(string("client_id"))
                    .col(text("uri"))
                    .col(text("logout_token"))
                    .col(integer("attempts"))
                    .col(big_integer("next_attempt_at"))
                    .col(big_integer("created_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("logout_deliveries", "logout_deliveries_due", &["next_attempt_at"], false)).await?;
            Ok(())
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            for t in ["logout_deliveries", "initial_access_tokens"] {
                m.drop_table(Table::drop().table(t).to_owned()).await?;
            }
            Ok(())
        }
    }
}

mod m0005_federation {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0005_federation"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("tenants").add_column(text("federation").default("{}").to_owned()).to_owned()).await?;
            m.create_table(
                Table::create()
                    .table("federation_keys")
                    .col(string("kid").primary_key())
                    .col(string("tenant_id"))
                    .col(string("alg"))
                    .col(text("private_key_sealed"))
                    .col(text("public_jwk"))
                    .col(big_integer("activates_at"))
                    .col(big_integer("created_at"))
                    .col(big_integer_null("revoked_at"))
                    .col(string_null("revoked_reason"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("federation_keys", "federation_keys_tenant", &["tenant_id"], false)).await?;
            m.create_table(
                Table::create()
                    .table("federation_subordinates")
                    .col(string("id").primary_key())
                    .col(string("tenant_id"))
                    .col(text("entity_id"))
                    .col(text("jwks"))
                    .col(text("entity_types"))
                    .col(boolean("intermediate"))
                    .col(text_null("metadata_policy"))
                    .col(text_null("metadata_policy_crit"))
                    .col(text_null("constraints"))
                    .col(text_null("metadata"))
                    .col(big_integer("created_at"))
                    .col(big_integer("updated_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("federation_subordinates", "federation_subordinates_entity", &["tenant_id", "entity_id"], true)).await?;
            m.create_table(
                Table::create()
                    .table("trust_marks")
                    .col(string("id").primary_key())
                    .col(string("tenant_id"))
                    .col(text("trust_mark_type"))
                    .col(text("subject"))
                    .col(big_integer("issued_at"))
                    .col(big_integer_null("expires_at"))
                    .col(big_integer_null("revoked_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("trust_marks", "trust_marks_type_subject", &["tenant_id", "trust_mark_type", "subject"], false)).await?;
            Ok(())
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            for t in ["trust_marks", "federation_subordinates", "federation_keys"] {
                m.drop_table(Table::drop().table(t).to_owned()).await?;
            }
            Ok(())
        }
    }
}

/// Relying parties registered through a federation trust chain: how, under
/// which Trust Anchor, and until when (the chain's expiry).
mod m0006_federation_clients {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0006_federation_clients"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            // One column per statement: SQLite alters one column at a time.
            m.alter_table(Table::alter().table("clients").add_column(string_null("federation_kind")).to_owned()).await?;
            m.alter_table(Table::alter().table("clients").add_column(text_null("trust_anchor")).to_owned()).await?;
            m.alter_table(Table::alter().table("clients").add_column(big_integer_null("expires_at")).to_owned()).await?;
            Ok(())
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            for c in ["expires_at", "trust_anchor", "federation_kind"] {
                m.alter_table(Table::alter().table("clients").drop_column(c).to_owned()).await?;
            }
            Ok(())
        }
    }
}

/// Sign-in through peer providers: the accounts of peers' citizens (the
/// peer's issuer and subject, linked to a local user), and the keys a
/// tenant uses as a relying party of those peers, kept in the federation
/// keys table under their own purpose.
mod m0007_peer_sign_in {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0007_peer_sign_in"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table("federated_identities")
                    .col(string("id").primary_key())
                    .col(string("tenant_id"))
                    .col(text("issuer"))
                    .col(text("subject"))
                    .col(string("user_id"))
                    .col(big_integer("created_at"))
                    .col(big_integer("last_used_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("federated_identities", "federated_identities_peer", &["tenant_id", "issuer", "subject"], true)).await?;
            m.create_index(index("federated_identities", "federated_identities_user", &["tenant_id", "user_id"], false)).await?;
            m.alter_table(Table::alter().table("federation_keys").add_column(string("purpose").default("federation")).to_owned()).await?;
            Ok(())
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("federation_keys").drop_column("purpose").to_owned()).await?;
            m.drop_table(Table::drop().table("federated_identities").to_owned()).await
        }
    }
}

/// Revocations that outlive the ephemeral store: revoked access tokens by
/// `jti` (kept until the token would have expired anyway), and what an exact
/// retry of a refresh needs (the successor a rotation issued, sealed under a
/// key only the holder of the rotated token can derive), with the client's
/// grace for such retries.
mod m0008_durable_revocations {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0008_durable_revocations"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(Table::create().table("revoked_access_tokens").col(string("jti").primary_key()).col(big_integer("expires_at")).to_owned()).await?;
            m.create_index(index("revoked_access_tokens", "revoked_access_tokens_expiry", &["expires_at"], false)).await?;
            // One column per statement: SQLite alters one column at a time.
            m.alter_table(Table::alter().table("refresh_tokens").add_column(string_null("successor_digest")).to_owned()).await?;
            m.alter_table(Table::alter().table("refresh_tokens").add_column(text_null("successor_sealed")).to_owned()).await?;
            m.alter_table(Table::alter().table("clients").add_column(big_integer("refresh_reuse_grace").default(0)).to_owned()).await?;
            Ok(())
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("clients").drop_column("refresh_reuse_grace").to_owned()).await?;
            for c in ["successor_sealed", "successor_digest"] {
                m.alter_table(Table::alter().table("refresh_tokens").drop_column(c).to_owned()).await?;
            }
            m.drop_table(Table::drop().table("revoked_access_tokens").to_owned()).await
        }
    }
}

/// Credentials carry the level of the session that bound them (a passkey
/// or TOTP added from a password-only session must not sign in above that
/// session), tenants say how such a credential may be raised, and a
/// verified e-mail address belongs to one account of a tenant at most.
mod m0009_credential_binding {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0009_credential_binding"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("passkeys").add_column(string_null("max_acr")).to_owned()).await?;
            m.alter_table(Table::alter().table("users").add_column(string_null("totp_max_acr")).to_owned()).await?;
            m.alter_table(Table::alter().table("tenants").add_column(string("credential_upgrade").default("mail")).to_owned()).await?;
            // Addresses verified twice before this rule: the oldest account
            // keeps the verification, the others must verify again.
            let db = m.get_connection();
            db.execute_unprepared(
                "UPDATE users SET email_verified = false WHERE email_verified AND EXISTS (\
                   SELECT 1 FROM users o WHERE o.tenant_id = users.tenant_id AND o.email_verified \
                   AND lower(o.email) = lower(users.email) \
                   AND (o.created_at < users.created_at OR (o.created_at = users.created_at AND o.id < users.id)))",
            )
            .await?;
            db.execute_unprepared("CREATE UNIQUE INDEX users_verified_email ON users (tenant_id, lower(email)) WHERE email_verified").await?;
            // Usernames that look alike (TR39 skeletons): computed here for
            // the accounts that exist, oldest first; a later one that looks
            // like an earlier one keeps no skeleton (it stays usable, and
            // no new account can take either look).
            m.alter_table(Table::alter().table("users").add_column(string_null("username_skeleton")).to_owned()).await?;
            m.alter_table(Table::alter().table("tenants").add_column(string("usernames").default("plain")).to_owned()).await?;
            let select =
                Query::select().columns(["id", "tenant_id", "username"]).from("users").order_by("created_at", Order::Asc).order_by("id", Order::Asc).to_owned();
            let mut seen = std::collections::HashSet::new();
            for row in db.query_all(&select).await? {
                let (id, tenant_id, username): (String, String, String) = (row.try_get("", "id")?, row.try_get("", "tenant_id")?, row.try_get("", "username")?);
                let skeleton = trame_core::username::skeleton(&username);
                if seen.insert((tenant_id, skeleton.clone())) {
                    let update = Query::update().table("users").value("username_skeleton", skeleton).and_where(Expr::col("id").eq(id)).to_owned();
                    db.execute(&update).await?;
                }
            }
            m.create_index(index("users", "users_username_skeleton", &["tenant_id", "username_skeleton"], true)).await?;
            Ok(())
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.drop_index(Index::drop().name("users_username_skeleton").table("users").to_owned()).await?;
            m.alter_table(Table::alter().table("tenants").drop_column("usernames").to_owned()).await?;
            m.alter_table(Table::alter().table("users").drop_column("username_skeleton").to_owned()).await?;
            m.get_connection().execute_unprepared("DROP INDEX users_verified_email").await?;
            m.alter_table(Table::alter().table("tenants").drop_column("credential_upgrade").to_owned()).await?;
            m.alter_table(Table::alter().table("users").drop_column("totp_max_acr").to_owned()).await?;
            m.alter_table(Table::alter().table("passkeys").drop_column("max_acr").to_owned()).await
        }
    }
}

mod m0010_contact {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0010_contact"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            // The phone number had a column but nothing wrote it; its
            // verification and the postal address join it. One column per
            // statement: SQLite alters one at a time.
            m.alter_table(Table::alter().table("users").add_column(boolean("phone_number_verified").default(false)).to_owned()).await?;
            m.alter_table(Table::alter().table("users").add_column(text_null("address")).to_owned()).await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("users").drop_column("address").to_owned()).await?;
            m.alter_table(Table::alter().table("users").drop_column("phone_number_verified").to_owned()).await
        }
    }
}

/// The audit log (append-only), and accounts that can be disabled.
mod m0011_audit {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0011_audit"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table("audit_events")
                    .col(string("id").primary_key())
                    .col(string_null("tenant_id"))
                    .col(big_integer("at"))
                    .col(string("actor"))
                    .col(string("action"))
                    .col(string_null("target"))
                    .col(string("outcome"))
                    .col(string_null("address"))
                    .col(text_null("detail"))
                    .to_owned(),
            )
            .await?;
            // Listing is per tenant, newest first, by id (time-ordered);
            // a person's trail is by target; retention is by time.
            m.create_index(index("audit_events", "audit_events_tenant", &["tenant_id", "id"], false)).await?;
            m.create_index(index("audit_events", "audit_events_target", &["tenant_id", "target", "id"], false)).await?;
            m.create_index(index("audit_events", "audit_events_at", &["at"], false)).await?;
            m.alter_table(Table::alter().table("users").add_column(big_integer_null("disabled_at")).to_owned()).await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("users").drop_column("disabled_at").to_owned()).await?;
            m.drop_table(Table::drop().table("audit_events").to_owned()).await
        }
    }
}

/// Administration: who holds which role, and what finding an account among
/// a million needs (search keys, a version for conditional updates).
mod m0012_admin {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0012_admin"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table("admin_roles")
                    .col(string("id").primary_key())
                    .col(string("tenant_id"))
                    // `user:<id>` or `client:<client id>`.
                    .col(string("principal"))
                    .col(string("role"))
                    .col(big_integer("granted_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("admin_roles", "admin_roles_principal", &["tenant_id", "principal", "role"], true)).await?;
            m.create_index(index("admin_roles", "admin_roles_role", &["role"], false)).await?;
            // Search by e-mail or name prefix: lowercased copies the indexes
            // can range over (the same on both backends, unlike lower()
            // expressions with LIKE). One column per statement: SQLite
            // alters one at a time.
            for col in ["email_key", "given_key", "family_key"] {
                m.alter_table(Table::alter().table("users").add_column(string_null(col)).to_owned()).await?;
            }
            m.alter_table(Table::alter().table("users").add_column(big_integer("version").default(0)).to_owned()).await?;
            let db = m.get_connection();
            let select = Query::select().columns(["id", "email", "given_name", "family_name"]).from("users").to_owned();
            for row in db.query_all(&select).await? {
                let id: String = row.try_get("", "id")?;
                let key =
                    |c: &str| -> Result<Option<String>, DbErr> { Ok(row.try_get::<Option<String>>("", c)?.as_deref().map(trame_core::username::search_key)) };
                let update = Query::update()
                    .table("users")
                    .value("email_key", key("email")?)
                    .value("given_key", key("given_name")?)
                    .value("family_key", key("family_name")?)
                    .and_where(Expr::col("id").eq(id))
                    .to_owned();
                db.execute(&update).await?;
            }
            m.create_index(index("users", "users_tenant_email_key", &["tenant_id", "email_key"], false)).await?;
            m.create_index(index("users", "users_tenant_given_key", &["tenant_id", "given_key"], false)).await?;
            m.create_index(index("users", "users_tenant_family_key", &["tenant_id", "family_key"], false)).await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            for idx in ["users_tenant_family_key", "users_tenant_given_key", "users_tenant_email_key"] {
                m.drop_index(Index::drop().name(idx).table("users").to_owned()).await?;
            }
            for col in ["version", "family_key", "given_key", "email_key"] {
                m.alter_table(Table::alter().table("users").drop_column(col).to_owned()).await?;
            }
            m.drop_table(Table::drop().table("admin_roles").to_owned()).await
        }
    }
}

mod m0013_tenant_issuer {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0013_tenant_issuer"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        /// Whether the operator set the tenant's issuer (`trame tenant
        /// update --issuer`): the default tenant follows `public_url` until
        /// then.
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("tenants").add_column(boolean("issuer_explicit").default(false)).to_owned()).await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("tenants").drop_column("issuer_explicit").to_owned()).await
        }
    }
}

mod m0014_branding {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0014_branding"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        /// A tenant's branding (`trame_core::branding::Branding` as JSON,
        /// in the catalog with the rest of the tenant) and its logo's bytes
        /// in a table of their own, read only when a browser asks for the
        /// logo (the catalog keeps its digest, not 10,000 images).
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("tenants").add_column(text("branding").default("{}")).to_owned()).await?;
            m.create_table(
                Table::create()
                    .table("tenant_logos")
                    .col(string("tenant_id").primary_key())
                    .col(string("content_type"))
                    .col(string("digest"))
                    .col(blob("data"))
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.drop_table(Table::drop().table("tenant_logos").to_owned()).await?;
            m.alter_table(Table::alter().table("tenants").drop_column("branding").to_owned()).await
        }
    }
}

mod m0015_transparency {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0015_transparency"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        /// The public transparency figures (`trame_app::usage`): counts of
        /// transactions per tenant, day and kind, the services that got a
        /// token each day, and the hosts the installation's outbound
        /// requests reached each day. Days are Unix days (UTC). Counts only:
        /// never a person. And the tenant's default subject type for the
        /// clients its operator adds: `public` for the tenants that exist
        /// (nothing changes for them), `pairwise` for new ones.
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("tenants").add_column(string("default_subject_type").default("public")).to_owned()).await?;
            m.create_table(
                Table::create()
                    .table("usage_counts")
                    .col(string("tenant_id"))
                    .col(integer("day"))
                    .col(string("counter"))
                    .col(big_integer("count"))
                    .primary_key(Index::create().col("tenant_id").col("day").col("counter"))
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table("usage_services")
                    .col(string("tenant_id"))
                    .col(integer("day"))
                    .col(string("client_id"))
                    .primary_key(Index::create().col("tenant_id").col("day").col("client_id"))
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table("outbound_hosts")
                    .col(integer("day"))
                    .col(string("host"))
                    .col(big_integer("count"))
                    .primary_key(Index::create().col("day").col("host"))
                    .to_owned(),
            )
            .await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            for t in ["outbound_hosts", "usage_services", "usage_counts"] {
                m.drop_table(Table::drop().table(t).to_owned()).await?;
            }
            m.alter_table(Table::alter().table("tenants").drop_column("default_subject_type").to_owned()).await
        }
    }
}

mod m0016_time_zone {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0016_time_zone"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        /// The tenant's time zone, in which its pages write times: the
        /// tenants that exist are in metropolitan France unless their
        /// operator says otherwise (`trame tenant set --time-zone`).
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("tenants").add_column(string("time_zone").default("Europe/Paris")).to_owned()).await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("tenants").drop_column("time_zone").to_owned()).await
        }
    }
}

mod m0017_cas {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0017_cas"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        /// A client's CAS settings (service URLs and prefixes, attributes,
        /// what `<cas:user>` holds) as one JSON document, null for a client
        /// that is not a CAS service; the services a session signed in to
        /// over CAS (for single logout); and the kind of a queued logout
        /// notification (an OpenID Connect logout token, or a CAS
        /// `LogoutRequest`).
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("clients").add_column(text_null("cas")).to_owned()).await?;
            m.create_table(
                Table::create()
                    .table("cas_service_sessions")
                    .col(string("id").primary_key())
                    .col(string("tenant_id"))
                    .col(string("user_id"))
                    .col(string("sid"))
                    .col(string("client_id"))
                    .col(text("service"))
                    .col(string("ticket"))
                    .col(big_integer("created_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("cas_service_sessions", "cas_service_sessions_session", &["tenant_id", "user_id", "sid"], false)).await?;
            m.create_index(index("cas_service_sessions", "cas_service_sessions_age", &["created_at"], false)).await?;
            m.alter_table(Table::alter().table("logout_deliveries").add_column(string("kind").default("back_channel")).to_owned()).await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.alter_table(Table::alter().table("logout_deliveries").drop_column("kind").to_owned()).await?;
            m.drop_table(Table::drop().table("cas_service_sessions").to_owned()).await?;
            m.alter_table(Table::alter().table("clients").drop_column("cas").to_owned()).await
        }
    }
}

mod m0018_directories {
    use super::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m0018_directories"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        /// A tenant's LDAP directories (their settings as one JSON
        /// document, the service account's password sealed apart), and on
        /// each account the directory that manages it, the entry's lasting
        /// identifier there, and whether a sync found it gone or disabled
        /// (so the next good sign-in may enable it again, and an
        /// administrator's own disabling stays).
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.create_table(
                Table::create()
                    .table("directories")
                    .col(string("id").primary_key())
                    .col(string("tenant_id"))
                    .col(string("name"))
                    .col(text("settings"))
                    .col(text("bind_password_sealed"))
                    .col(big_integer("created_at"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("directories", "directories_name", &["tenant_id", "name"], true)).await?;
            m.alter_table(Table::alter().table("users").add_column(string_null("directory_id")).to_owned()).await?;
            m.alter_table(Table::alter().table("users").add_column(string_null("directory_entry")).to_owned()).await?;
            m.alter_table(Table::alter().table("users").add_column(boolean("directory_suspended").default(false)).to_owned()).await?;
            m.create_index(index("users", "users_directory_entry", &["tenant_id", "directory_id", "directory_entry"], false)).await
        }

        async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
            m.drop_index(Index::drop().name("users_directory_entry").table("users").to_owned()).await?;
            for c in ["directory_suspended", "directory_entry", "directory_id"] {
                m.alter_table(Table::alter().table("users").drop_column(c).to_owned()).await?;
            }
            m.drop_table(Table::drop().table("directories").to_owned()).await
        }
    }
}
