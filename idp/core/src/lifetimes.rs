//! How long things live, in seconds. One place, so the relationships between
//! them (a key stays published longer than any token it signed) are visible.

/// Authorization codes: short, single-use (RFC 9700 §4.2 recommends minutes at most).
pub const AUTHORIZATION_CODE: i64 = 60;
/// CAS service tickets: single use, validated by the service right after
/// the browser brings them (CAS 3.0 §3.1.1 recommends at most 5 minutes;
/// Apereo's server uses 10 seconds).
pub const CAS_TICKET: i64 = 10;
/// A pending sign-in (the interaction between /authorize and the code).
pub const INTERACTION: i64 = 30 * 60;
/// A pending sign-in whose page was never shown: a browser follows the
/// redirect within seconds, so one that never comes is dropped early (a
/// script flooding /authorize must not hold memory for half an hour).
pub const INTERACTION_UNSEEN: i64 = 5 * 60;
pub const ACCESS_TOKEN: i64 = 5 * 60;
pub const ID_TOKEN: i64 = 5 * 60;
/// Refresh tokens: sliding, each rotation gives a new one with this lifetime.
pub const REFRESH_TOKEN: i64 = 14 * 24 * 3600;
/// A back-channel logout token (Back-Channel Logout §2.4): a notification
/// delivered late is signed again, so this only bounds a replay.
pub const LOGOUT_TOKEN: i64 = 2 * 60;
/// Waits between attempts to deliver a back-channel logout notification
/// that failed; after the last one it is given up.
pub const LOGOUT_RETRIES: [i64; 5] = [10, 60, 5 * 60, 30 * 60, 2 * 3600];
/// Browser SSO session.
pub const SESSION: i64 = 12 * 3600;
/// Remember that a code was redeemed, to detect replays, well past its expiry.
pub const CODE_REPLAY_MEMORY: i64 = 3600;
/// Client assertion (`private_key_jwt`) maximum lifetime we accept, and
/// how long we remember its `jti`.
pub const CLIENT_ASSERTION_MAX: i64 = 10 * 60;
/// Allowed clock skew when checking `iat`/`exp`/`nbf` of inbound JWTs.
pub const CLOCK_SKEW: i64 = 60;
/// A pushed authorization request's `request_uri` (RFC 9126 §2.2: short,
/// single use).
pub const PUSHED_REQUEST: i64 = 60;
/// A sign-in sent to a peer provider, from the choice to its callback.
pub const PEER_SIGN_IN: i64 = 10 * 60;
/// The choice of a peer provider, remembered by the browser.
pub const PEER_CHOICE: i64 = 365 * 24 * 3600;
/// The list of peer providers, kept by a node before asking again.
pub const PEER_DIRECTORY: i64 = 5 * 60;
/// The longest a Request Object may live (`exp` - now): replay memory for
/// its `jti` is kept that long.
pub const REQUEST_OBJECT_MAX: i64 = 60 * 60;
/// After a rotation, a key stays published for this long past the moment it
/// stopped signing: longer than any token it signed can live.
pub const KEY_RETENTION: i64 = if ID_TOKEN > ACCESS_TOKEN { ID_TOKEN } else { ACCESS_TOKEN } + 3600;
/// Federation statements Trame signs (Entity Configuration, Subordinate
/// Statements, Trust Mark status answers): a day, so a chain built from
/// them is re-fetched daily (OpenID Federation §3.1.1 leaves it to us).
pub const FEDERATION_STATEMENT: i64 = 24 * 3600;
/// A federation key stays published this long after it stopped signing:
/// longer than any statement it signed can live.
pub const FEDERATION_KEY_RETENTION: i64 = FEDERATION_STATEMENT + 3600;
/// Sign-in failures counted over this window for throttling.
pub const THROTTLE_WINDOW: i64 = 15 * 60;
/// An e-mail verification link.
pub const EMAIL_VERIFICATION: i64 = 24 * 3600;
/// An e-mailed account recovery link: short, it signs the person in.
pub const RECOVERY_LINK: i64 = 30 * 60;
/// An invitation to create an account (`trame user invite`), by default.
pub const INVITATION: i64 = 7 * 24 * 3600;
/// Recovery codes given at sign-up or on request.
pub const RECOVERY_CODES: usize = 10;
/// How recent a sign-in must be to change an account (passkeys, password,
/// TOTP, recovery codes, e-mail, sessions).
pub const ACCOUNT_CHANGES: i64 = 15 * 60;
