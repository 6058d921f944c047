//! Single sign-on values an administrator gives (`replique org set-oidc`), parsed once: an
//! organisation's slug (the `{org_slug}` of `/auth/oidc/{org_slug}/login`), the issuer's
//! URL and the e-mail domains the identity provider vouches for. No IO.

use crate::text::normalize;

/// The name of an organisation in URLs: lower-case ASCII letters, digits and single
/// hyphens, 2 to 60 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgSlug(String);

impl OrgSlug {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let slug = raw.trim();
        let well_formed = (2..=60).contains(&slug.len())
            && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !slug.starts_with('-')
            && !slug.ends_with('-')
            && !slug.contains("--");
        if well_formed { Ok(OrgSlug(slug.to_owned())) } else { Err("identifiant d’organisation invalide") }
    }

    /// The slug of an organisation's name: « Société Générale » → `societe-generale`.
    pub fn from_name(name: &str) -> Result<Self, &'static str> {
        let mut slug = normalize(name)
            .split(' ')
            .map(|w| w.chars().filter(char::is_ascii_alphanumeric).collect::<String>())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        slug.truncate(60);
        Self::parse(slug.trim_end_matches('-'))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An OpenID provider's issuer identifier: `https://…` (or `http://` on the loopback
/// interface only, for a provider on the same machine), no query, no fragment. Kept as
/// given: the ID token's `iss` must equal it exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerUrl(String);

impl IssuerUrl {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let url = raw.trim();
        if url.len() > 500 || url.contains(['?', '#']) || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("l’URL de l’émetteur n’est pas valide (https://…, sans paramètres)");
        }
        if secure_or_loopback(url) {
            Ok(IssuerUrl(url.to_owned()))
        } else {
            Err("l’émetteur doit être en https:// (http:// n’est accepté que sur 127.0.0.1 ou localhost)")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Where the provider publishes its configuration (OpenID Connect Discovery 1.0, §4).
    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.0.trim_end_matches('/'))
    }
}

/// Whether `url` is `https://host…`, or `http://` to a loopback host: the rule for the
/// issuer and for every endpoint its configuration names.
pub fn secure_or_loopback(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("https://") {
        return !host_of(rest).is_empty();
    }
    let Some(rest) = lower.strip_prefix("http://") else { return false };
    matches!(host_of(rest), "127.0.0.1" | "localhost" | "[::1]")
}

/// The host of what follows `scheme://`, without a port, user info refused (empty).
fn host_of(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return "";
    }
    if authority.starts_with('[') {
        return authority.split_inclusive(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

/// The e-mail domains an organisation's provider vouches for: lower-case host names with a
/// dot, 1 to 50 of them, each once. An address matches its domain exactly (a subdomain is
/// another domain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailDomains(Vec<String>);

impl EmailDomains {
    /// From a comma-separated list: `acme.fr, acme.com`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut domains: Vec<String> = Vec::new();
        for part in raw.split(',').map(|d| d.trim().trim_start_matches('@').to_lowercase()) {
            if part.is_empty() {
                continue;
            }
            let labels_ok = part.split('.').all(|label| {
                (1..=63).contains(&label.len())
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
            if part.len() > 253 || !part.contains('.') || !labels_ok {
                return Err(format!("domaine invalide : {part:?}"));
            }
            if !domains.contains(&part) {
                domains.push(part);
            }
        }
        match domains.len() {
            0 => Err("au moins un domaine est nécessaire (--domains a.fr,b.fr)".into()),
            1..=50 => Ok(EmailDomains(domains)),
            _ => Err("50 domaines au plus".into()),
        }
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Email;

    #[test]
    fn slugs_come_from_names_and_refuse_anything_else() {
        assert_eq!(OrgSlug::from_name("Société Générale").expect("slug").as_str(), "societe-generale");
        assert_eq!(OrgSlug::from_name("  ACME & Fils — Lyon ").expect("slug").as_str(), "acme-fils-lyon");
        assert!(OrgSlug::from_name("!!").is_err());
        assert!(OrgSlug::parse("acme").is_ok());
        for bad in ["Acme", "a", "-acme", "acme-", "ac--me", "ac me", "acmé", "../x"] {
            assert!(OrgSlug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn issuers_are_https_or_on_this_machine() {
        assert!(IssuerUrl::parse("https://login.acme.fr/realms/ventes").is_ok());
        assert!(IssuerUrl::parse("http://127.0.0.1:4000").is_ok());
        assert!(IssuerUrl::parse("http://localhost:4000/").is_ok());
        for bad in
            ["http://idp.acme.fr", "ftp://x", "https://", "https://a.fr/?x=1", "http://127.0.0.1@evil.fr", "acme"]
        {
            assert!(IssuerUrl::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            IssuerUrl::parse("https://idp.fr/").expect("issuer").discovery_url(),
            "https://idp.fr/.well-known/openid-configuration"
        );
    }

    #[test]
    fn domains_are_a_short_clean_list_matched_exactly() {
        let domains = EmailDomains::parse(" Acme.fr, @acme.com,acme.fr ,").expect("domains");
        assert_eq!(domains.as_slice(), ["acme.fr", "acme.com"]);
        assert_eq!(Email::parse("Alice@ACME.fr").expect("email").domain(), "acme.fr");
        for bad in ["", " , ", "acme", "a..fr", "-a.fr", "a b.fr"] {
            assert!(EmailDomains::parse(bad).is_err(), "{bad}");
        }
    }
}
