//! A tenant's place in an OpenID Federation (1.0): who its superiors are,
//! which Trust Anchors it trusts, whether it is an authority (Trust Anchor
//! or Intermediate) for others, and the Trust Marks it shows.
//!
//! Every tenant is a federation entity whose Entity Identifier is its
//! issuer URL; these settings only say how it takes part. The statements
//! themselves are built in `trame-web` with the `trame-federation` library.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Stored as one JSON document per tenant; every field has a default so a
/// document written by an older version still reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FederationSettings {
    /// Immediate Superiors (`authority_hints`), in the order given.
    pub authority_hints: Vec<String>,
    /// Trust Anchors this tenant accepts chains to, with their keys as
    /// configured out of band (§1.2: never learnt from the anchor itself).
    pub trust_anchors: Vec<TrustAnchorConfig>,
    /// Serves the fetch and list endpoints for enrolled subordinates
    /// (a Trust Anchor or an Intermediate).
    pub authority: bool,
    /// Trust Marks this tenant received and shows in its Entity
    /// Configuration.
    pub trust_marks: Vec<HeldTrustMark>,
    /// For a Trust Anchor: who may issue which Trust Mark type
    /// (`trust_mark_issuers`, §3.1.3).
    pub trust_mark_issuers: Map<String, Value>,
    /// For a Trust Anchor: the owners of delegated Trust Mark types
    /// (`trust_mark_owners`).
    pub trust_mark_owners: Map<String, Value>,
    /// Extra `federation_entity` metadata the operator sets
    /// (`organization_name`, `contacts`, `logo_uri`, `policy_uri`, …).
    pub entity_metadata: Map<String, Value>,
    /// Citizens of peer OpenID Providers of the federation may sign in
    /// here (this tenant is then also a relying party of those peers).
    pub peer_sign_in: Option<PeerSignIn>,
}

/// Where the peers come from and which ones are accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerSignIn {
    /// The Trust Anchor or Intermediate whose list endpoint names the
    /// peers (`entity_type=openid_provider`). It must itself chain to one
    /// of the tenant's Trust Anchors.
    pub list_from: String,
    /// Trust Mark types a peer must hold, each verified (§7.3), to be
    /// offered and accepted.
    #[serde(default)]
    pub required_trust_marks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustAnchorConfig {
    pub entity_id: String,
    /// The anchor's federation JWK Set (`{"keys": [...]}`).
    pub jwks: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeldTrustMark {
    pub trust_mark_type: String,
    pub trust_mark: String,
}

/// `federation_entity` metadata members an operator may set; the endpoint
/// URLs are Trame's to publish, and keys may not appear there (§5.2.1).
pub const ENTITY_METADATA_FIELDS: [&str; 9] =
    ["organization_name", "display_name", "description", "keywords", "contacts", "logo_uri", "policy_uri", "information_uri", "organization_uri"];

impl FederationSettings {
    pub fn from_json(s: &str) -> Result<Self, String> {
        serde_json::from_str(s).map_err(|e| format!("federation settings: {e}"))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("federation settings serialize")
    }

    pub fn trust_anchor(&self, entity_id: &str) -> Option<&TrustAnchorConfig> {
        self.trust_anchors.iter().find(|a| a.entity_id == entity_id)
    }

    /// Sets one `federation_entity` metadata member, refusing names Trame
    /// publishes itself and values that are not what §5.2.2 describes.
    pub fn set_entity_metadata(&mut self, name: &str, value: Option<Value>) -> Result<(), String> {
        if !ENTITY_METADATA_FIELDS.contains(&name) {
            return Err(format!("'{name}' is not a federation entity metadata member one can set (one of: {})", ENTITY_METADATA_FIELDS.join(", ")));
        }
        match value {
            None => {
                self.entity_metadata.remove(name);
            }
            Some(v) => {
                let list = matches!(name, "keywords" | "contacts");
                let ok = if list {
                    v.as_array().is_some_and(|a| !a.is_empty() && a.iter().all(|s| s.as_str().is_some_and(|s| !s.is_empty())))
                } else {
                    v.as_str().is_some_and(|s| !s.is_empty())
                };
                if !ok {
                    return Err(format!("'{name}' must be {}", if list { "a non-empty list of strings" } else { "a non-empty string" }));
                }
                if name.ends_with("_uri") && !v.as_str().is_some_and(|s| url::Url::parse(s).is_ok_and(|u| u.scheme() == "https")) {
                    return Err(format!("'{name}' must be an https URL"));
                }
                self.entity_metadata.insert(name.to_owned(), v);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_document_reads_as_defaults_and_round_trips() {
        let s = FederationSettings::from_json("{}").unwrap();
        assert_eq!(s, FederationSettings::default());
        let mut s = s;
        s.authority_hints.push("https://ta.example".into());
        s.trust_anchors.push(TrustAnchorConfig { entity_id: "https://ta.example".into(), jwks: json!({"keys": []}) });
        assert_eq!(FederationSettings::from_json(&s.to_json()).unwrap(), s);
        assert!(FederationSettings::from_json(r#"{"authority_hint": []}"#).is_err(), "a misspelt field is not silently dropped");
        s.peer_sign_in = Some(PeerSignIn { list_from: "https://ta.example".into(), required_trust_marks: vec!["https://ta.example/marks/commune".into()] });
        assert_eq!(FederationSettings::from_json(&s.to_json()).unwrap(), s);
    }

    #[test]
    fn entity_metadata_members_are_checked() {
        let mut s = FederationSettings::default();
        s.set_entity_metadata("organization_name", Some(json!("Mairie de Lyon"))).unwrap();
        s.set_entity_metadata("contacts", Some(json!(["dpo@lyon.fr"]))).unwrap();
        assert!(s.set_entity_metadata("federation_fetch_endpoint", Some(json!("https://x"))).is_err());
        assert!(s.set_entity_metadata("jwks", Some(json!({}))).is_err());
        assert!(s.set_entity_metadata("contacts", Some(json!("dpo@lyon.fr"))).is_err());
        assert!(s.set_entity_metadata("logo_uri", Some(json!("http://lyon.fr/logo.png"))).is_err());
        assert!(s.set_entity_metadata("organization_name", Some(json!(""))).is_err());
        s.set_entity_metadata("organization_name", None).unwrap();
        assert_eq!(s.entity_metadata.len(), 1);
    }
}
