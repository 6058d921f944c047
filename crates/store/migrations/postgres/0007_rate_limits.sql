-- Rate limits shared by every instance over the same database: one counter per scope and
-- key (a hash of who it concerns) over a fixed window, updated by one atomic upsert.

create table rate_limits (
    scope text not null,
    key_hash text not null,
    window_start bigint not null,
    hits bigint not null,
    primary key (scope, key_hash)
);
create index rate_limits_age on rate_limits(window_start);
