//! Accounts and login sessions: Argon2id password hashes, random session tokens stored
//! hashed in the database, the session cookie, and the extractors that find the user.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use replique_core::account::{DisplayName, Email, Password, Plan};
use replique_store::{NewUser, User};
use sha2::{Digest, Sha256};

pub use crate::password::hash_password;
use crate::password::verify_password;
use crate::token::{hex, random_token};
use crate::{AppState, Error, now};

pub const SESSION_COOKIE: &str = "replique_session";

/// What is stored for a token: its SHA-256, so a leaked database opens no session.
fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A user with the plan in force now (an expired trial counts as `free`).
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: User,
    pub plan: Plan,
}

impl SessionUser {
    pub(crate) fn new(user: User) -> Self {
        let stored = Plan::parse(&user.plan).unwrap_or(Plan::Free);
        let plan = match (stored, user.trial_ends_at) {
            (Plan::Trial, Some(end)) if end <= now() => Plan::Free,
            (plan, _) => plan,
        };
        SessionUser { user, plan }
    }

    /// When the user's trial ended (Unix seconds), if it has: they are on `free` since.
    pub fn trial_ended_at(&self) -> Option<i64> {
        let stored = Plan::parse(&self.user.plan).unwrap_or(Plan::Free);
        self.user.trial_ends_at.filter(|end| stored == Plan::Trial && self.plan == Plan::Free && *end <= now())
    }
}

/// The logged-in user; rejects with 401 (JSON) when there is none.
pub struct CurrentUser(pub SessionUser);

/// The logged-in user, if any.
pub struct MaybeUser(pub Option<SessionUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        if let Some(user) = parts.extensions.get::<SessionUser>() {
            return Ok(MaybeUser(Some(user.clone())));
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else { return Ok(MaybeUser(None)) };
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(MaybeUser(None));
        }
        let user = state.store.user_for_login(&token_hash(&token), now()).await?.map(SessionUser::new);
        if let Some(user) = &user {
            parts.extensions.insert(user.clone());
        }
        Ok(MaybeUser(user))
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let MaybeUser(user) = MaybeUser::from_request_parts(parts, state).await?;
        user.map(CurrentUser).ok_or(Error::Unauthorized)
    }
}

/// The client's address, for rate limits: the connection's peer, or behind a trusted
/// proxy the last `X-Forwarded-For` entry (the one the proxy added; earlier ones are the
/// client's to forge). An IPv6 address counts as its /64 network, which one client holds.
pub fn client_key(parts: &Parts, trust_proxy: bool) -> String {
    let forwarded = trust_proxy
        .then(|| parts.headers.get("x-forwarded-for")?.to_str().ok()?.rsplit(',').next()?.trim().parse::<IpAddr>().ok())
        .flatten();
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    match forwarded.or(peer) {
        Some(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(IpAddr::V6(v6)) => v6.to_ipv4_mapped().map_or_else(|| v6.to_string(), |v4| v4.to_string()),
        Some(ip) => ip.to_string(),
        None => "local".into(),
    }
}

/// The client address as an extractor.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_key(parts, state.config.trust_proxy)))
    }
}

/// Creates an account on the trial plan and logs it in.
pub async fn register(
    state: &AppState,
    ip: &str,
    email: &str,
    password: &str,
    name: &str,
) -> Result<(SessionUser, LoginCookies), Error> {
    // A place to hash first: under a flood, a refusal costs no database write.
    let hashing = state.hash_pool.admit()?;
    state.signup_limiter.take(&state.store, ip).await?;
    let email = Email::parse(email).map_err(|m| Error::Unprocessable(m.into()))?;
    // The addresses an organisation's provider vouches for sign in through it, never with
    // a password made here (which whoever typed the address would then hold).
    if let Some(sso) = state.store.oidc_by_domain(email.domain()).await? {
        return Err(sso_required(&sso.slug));
    }
    let password = Password::parse(password).map_err(|m| Error::Unprocessable(m.into()))?;
    let name = if name.trim().is_empty() { email.local_part().to_owned() } else { name.to_owned() };
    let name = DisplayName::parse(&name).map_err(|m| Error::Unprocessable(m.into()))?;
    let hash = {
        let password = password.expose().to_owned();
        hashing.run(move || hash_password(&password)).await??
    };
    let created_at = now();
    let user = state
        .store
        .create_user(&NewUser {
            email: email.as_str(),
            name: name.as_str(),
            password_hash: &hash,
            plan: Plan::Trial.as_str(),
            trial_ends_at: Plan::Trial.trial_end(created_at),
            created_at,
        })
        .await
        .map_err(|e| match e {
            replique_store::StoreError::Conflict(_) => {
                Error::Conflict("Un compte existe déjà avec cette adresse e-mail.".into())
            }
            other => other.into(),
        })?;
    tracing::info!(user_id = user.id, "account created");
    let cookie = start_login(state, user.id).await?;
    Ok((SessionUser::new(user), cookie))
}

/// Checks credentials and opens a login session. Wrong email and wrong password look the
/// same, in message and in time.
pub async fn login(
    state: &AppState,
    ip: &str,
    email: &str,
    password: &str,
) -> Result<(SessionUser, LoginCookies), Error> {
    let email = email.trim().to_lowercase();
    // A place to verify first: under a flood, a refusal costs no database write.
    let hashing = state.hash_pool.admit()?;
    // Per address whatever the e-mail (a flood of made-up accounts), then per account.
    state.login_ip_limiter.take(&state.store, ip).await?;
    let key = format!("{ip}|{email}");
    state.login_limiter.take(&state.store, &key).await?;
    let user = match Email::parse(&email) {
        Ok(email) => {
            // Said before the password is checked: it depends on the domain, not the account.
            if let Some(sso) = state.store.oidc_by_domain(email.domain()).await?.filter(|c| c.require_sso) {
                return Err(sso_required(&sso.slug));
            }
            state.store.user_by_email(email.as_str()).await?
        }
        Err(_) => None,
    };
    let hash = user.as_ref().map_or_else(|| state.dummy_hash.clone(), |u| u.password_hash.clone());
    let password = password.to_owned();
    let valid = hashing.run(move || verify_password(&password, &hash)).await?;
    match user {
        Some(user) if valid => {
            state.login_limiter.clear(&state.store, &key).await?;
            // A member of an organisation that requires single sign-on (whatever the
            // address's domain): said only once the password proved who is asking.
            if let Some(member) = state.store.membership(user.id).await?
                && let Some(sso) =
                    state.store.oidc_of_organisation(member.organisation_id).await?.filter(|c| c.require_sso)
            {
                return Err(sso_required(&sso.slug));
            }
            let cookie = start_login(state, user.id).await?;
            Ok((SessionUser::new(user), cookie))
        }
        _ => Err(Error::InvalidCredentials),
    }
}

/// The refusal of a password where single sign-on is required, with the way to it.
fn sso_required(slug: &str) -> Error {
    Error::SsoRequired { login_path: format!("/auth/oidc/{slug}/login") }
}

/// The cookies a login sets: the session, and a new CSRF token (a token known before the
/// login, planted or seen, is worth nothing after it).
pub struct LoginCookies {
    session: Cookie<'static>,
    csrf: Cookie<'static>,
}

impl LoginCookies {
    pub fn add_to(self, jar: CookieJar) -> CookieJar {
        jar.add(self.session).add(self.csrf)
    }
}

pub(crate) async fn start_login(state: &AppState, user_id: i64) -> Result<LoginCookies, Error> {
    let token = random_token()?;
    let created = now();
    state.store.create_login(&token_hash(&token), user_id, created, created + state.config.login_ttl_seconds).await?;
    let session = Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies)
        .path("/")
        .max_age(time::Duration::seconds(state.config.login_ttl_seconds))
        .build();
    Ok(LoginCookies { session, csrf: crate::csrf::cookie(random_token()?, state.config.secure_cookies) })
}

/// Revokes the login session of the cookie (if any) and returns the jar that clears it.
pub async fn logout(state: &AppState, jar: CookieJar) -> Result<CookieJar, Error> {
    if let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) {
        state.store.delete_login(&token_hash(&token)).await?;
    }
    Ok(jar.remove(Cookie::build(SESSION_COOKIE).path("/")))
}

/// A hash to verify against when the email is unknown, so that case takes as long as a
/// wrong password.
pub fn dummy_hash() -> String {
    hash_password("replique-dummy-password").unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_256_bit_hex_and_stored_hashed() {
        let a = random_token().expect("token");
        let b = random_token().expect("token");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a).len(), 64);
    }
}

#[cfg(test)]
mod client_key_tests {
    use super::*;

    fn parts(peer: &str, forwarded: Option<&str>) -> Parts {
        let mut request = axum::http::Request::builder();
        if let Some(f) = forwarded {
            request = request.header("x-forwarded-for", f);
        }
        let (mut parts, ()) = request.body(()).expect("request").into_parts();
        parts.extensions.insert(ConnectInfo(peer.parse::<SocketAddr>().expect("address")));
        parts
    }

    #[test]
    fn the_client_is_the_peer_unless_a_trusted_proxy_says_otherwise() {
        let p = parts("10.0.0.2:5000", Some("1.2.3.4, 203.0.113.7"));
        assert_eq!(client_key(&p, false), "10.0.0.2", "the header is ignored unless the proxy is trusted");
        assert_eq!(client_key(&p, true), "203.0.113.7", "the entry the proxy added, not the client's own");
        assert_eq!(client_key(&parts("10.0.0.2:5000", Some("n'importe quoi")), true), "10.0.0.2");
        let v6 = parts("[2001:db8:1:2:aaaa:bbbb:cccc:dddd]:443", None);
        assert_eq!(client_key(&v6, false), "2001:db8:1:2::/64", "one client holds a whole /64");
        assert_eq!(client_key(&parts("[::ffff:192.0.2.9]:80", None), false), "192.0.2.9");
    }
}
