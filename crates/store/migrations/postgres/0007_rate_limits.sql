-- Rate limits shared by every instance over the same database: one row per counted hit
-- (a failed login, a sign-up, a demo request), keyed by a hash of who it concerns.

create table rate_limit_hits (
    scope text not null,
    key_hash text not null,
    at bigint not null
);
create index rate_limit_hits_key on rate_limit_hits(scope, key_hash, at);
create index rate_limit_hits_age on rate_limit_hits(scope, at);
