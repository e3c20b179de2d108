//! The user as the protocol layer sees it: identity and profile claims.

use serde_json::{Map, Value, json};

/// A user's standard claims. Anything not set is omitted from responses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserProfile {
    /// Internal, stable identifier (never shown to clients as is when the
    /// client uses pairwise subjects).
    pub id: String,
    pub username: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub phone_number: Option<String>,
    pub phone_number_verified: bool,
    pub address: Option<Address>,
    pub locale: Option<String>,
    pub updated_at: i64,
}

/// A postal address (OIDC Core §5.1.1); the fields are the claim's.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formatted: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl UserProfile {
    /// The value of one standard claim, if the user has it.
    pub fn claim(&self, name: &str) -> Option<Value> {
        match name {
            "preferred_username" => Some(json!(self.username)),
            "name" => match (&self.given_name, &self.family_name) {
                (Some(g), Some(f)) => Some(json!(format!("{g} {f}"))),
                (Some(g), None) => Some(json!(g)),
                (None, Some(f)) => Some(json!(f)),
                (None, None) => None,
            },
            "given_name" => self.given_name.as_ref().map(|v| json!(v)),
            "family_name" => self.family_name.as_ref().map(|v| json!(v)),
            "locale" => self.locale.as_ref().map(|v| json!(v)),
            "updated_at" => Some(json!(self.updated_at)),
            "email" => self.email.as_ref().map(|v| json!(v)),
            "email_verified" => self.email.as_ref().map(|_| json!(self.email_verified)),
            "phone_number" => self.phone_number.as_ref().map(|v| json!(v)),
            "phone_number_verified" => self.phone_number.as_ref().map(|_| json!(self.phone_number_verified)),
            "address" => self.address.as_ref().map(|a| {
                let mut m = Map::new();
                for (k, v) in [
                    ("formatted", &a.formatted),
                    ("street_address", &a.street_address),
                    ("locality", &a.locality),
                    ("region", &a.region),
                    ("postal_code", &a.postal_code),
                    ("country", &a.country),
                ] {
                    if let Some(v) = v {
                        m.insert(k.into(), json!(v));
                    }
                }
                Value::Object(m)
            }),
            _ => None,
        }
    }
}
