//! Clients as the operator (`trame client add`), a relying party
//! registering itself (`POST /register`) and later the admin API create
//! them: one set of rules, [`trame_core::registration`], applied here the
//! same way for all, with the sector identifier document fetched when the
//! metadata names one.

use trame_core::client::{ClientSettings, PkcePolicy};
use trame_core::registration::{ClientRequest, MetadataError, Rules, sector_identifier_url, validate};
use trame_core::subject::SubjectType;
use trame_jose::Alg;

use crate::outbound;
use crate::registration::fetch_sector_document;

/// The rules of clients the operator (or a tenant's administrator) adds:
/// PKCE required unless the operator relaxes it in the request, ES256 ID
/// tokens and public subjects by default, administration scopes allowed.
pub fn operator_rules() -> Rules {
    Rules { default_id_token_alg: Alg::ES256, default_subject_type: SubjectType::Public, administration: true, ..Rules::dynamic(PkcePolicy::Required) }
}

/// The rules of clients that register themselves, under the tenant's PKCE
/// policy for them.
pub fn self_registration_rules(pkce: PkcePolicy) -> Rules {
    Rules::dynamic(pkce)
}

/// Applies `rules` to `req`, fetching the sector identifier document
/// through `outbound` when there is one (OIDC Core §8.1). The error names
/// the metadata field at fault.
pub async fn settle(outbound: &outbound::Client, req: ClientRequest, mut rules: Rules) -> Result<ClientSettings, MetadataError> {
    if let Some(url) = sector_identifier_url(&req)? {
        rules.sector_redirect_uris = Some(fetch_sector_document(outbound, &url).await?);
    }
    validate(req, &rules)
}
