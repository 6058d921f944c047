-- SCIM 2.0 provisioning (issue 18): one bearer token per organisation (stored as its
-- SHA-256), the deactivation of an account, what the identity provider knows of a user
-- (userName, externalId, names), and the organisation's teams (SCIM groups) with their
-- members.

create table scim_tokens (
    organisation_id integer primary key references organisations(id) on delete cascade,
    token_hash text not null unique,
    created_at bigint not null
);

-- Null while the account is active. A deactivated account has no login session and cannot
-- open one (password or SSO).
alter table users add column deactivated_at bigint;

-- One row per account the organisation's identity provider manages. `user_name_key` is the
-- userName in lowercase (SCIM compares it case-insensitively), unique in the organisation.
-- A member the provider deleted keeps a row with `deleted_at` (and a key nobody sends): it
-- is no longer a SCIM resource, and the provider may create it again.
create table scim_users (
    user_id integer primary key references users(id) on delete cascade,
    organisation_id bigint not null references organisations(id) on delete cascade,
    user_name text not null,
    user_name_key text not null,
    external_id text,
    given_name text,
    family_name text,
    created_at bigint not null,
    updated_at bigint not null,
    deleted_at bigint,
    unique (organisation_id, user_name_key)
);

-- Teams of an organisation (a SCIM group is a team); `name_key` is the lowercase name.
create table teams (
    id integer primary key autoincrement,
    organisation_id bigint not null references organisations(id) on delete cascade,
    name text not null,
    name_key text not null,
    external_id text,
    created_at bigint not null,
    updated_at bigint not null,
    unique (organisation_id, name_key)
);

create table team_members (
    team_id bigint not null references teams(id) on delete cascade,
    user_id bigint not null references users(id) on delete cascade,
    created_at bigint not null,
    primary key (team_id, user_id)
);
create index team_members_user on team_members(user_id);
