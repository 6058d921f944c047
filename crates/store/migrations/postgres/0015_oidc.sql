-- Single sign-on with OpenID Connect (issue 18): an organisation's identity provider, the
-- e-mail domains it vouches for, the logins under way, and which account each subject of
-- a provider is.

-- One provider per organisation. `slug` names it in URLs (/auth/oidc/{slug}/login). The
-- client secret is needed in clear to call the token endpoint; it is never printed back.
create table organisation_oidc (
    organisation_id bigint primary key references organisations(id) on delete cascade,
    slug text not null unique,
    issuer text not null,
    client_id text not null,
    client_secret text not null,
    -- 1: passwords are refused for the organisation's members and domains.
    require_sso bigint not null check (require_sso in (0, 1)),
    updated_at bigint not null
);

-- A domain belongs to one organisation at most: it is how a login finds the provider.
create table organisation_oidc_domains (
    domain text primary key,
    organisation_id bigint not null references organisation_oidc(organisation_id) on delete cascade
);
create index organisation_oidc_domains_organisation on organisation_oidc_domains(organisation_id);

-- A login sent to the provider and not back yet: single use (deleted when the provider
-- sends the browser back), ten minutes at most. `state_hash` and `browser_hash` are
-- SHA-256 of the state and of the cookie that ties the login to the browser that began it.
create table oidc_logins (
    state_hash text primary key,
    organisation_id bigint not null references organisations(id) on delete cascade,
    browser_hash text not null,
    nonce text not null,
    pkce_verifier text not null,
    redirect_uri text not null,
    expires_at bigint not null
);
create index oidc_logins_expiry on oidc_logins(expires_at);

-- The account a provider's subject signs in as (the subject stays when an e-mail changes).
create table oidc_identities (
    issuer text not null,
    subject text not null,
    user_id bigint not null references users(id) on delete cascade,
    organisation_id bigint not null references organisations(id) on delete cascade,
    created_at bigint not null,
    primary key (issuer, subject)
);
create index oidc_identities_user on oidc_identities(user_id);
