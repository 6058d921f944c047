-- GDPR and CNIL (issue 18): each organisation's retention periods, the consent recorded
-- with a champion upload, the last login (to find inactive accounts), an append-only audit
-- log, the anonymised tallies an organisation keeps of deleted sessions, and the lease
-- that lets one instance at a time run the retention job.

create table organisation_retention (
    organisation_id integer primary key references organisations(id) on delete cascade,
    recordings_days bigint not null,
    analyses_days bigint not null,
    inactive_days bigint not null,
    updated_at bigint not null
);

-- What the manager confirmed when uploading (the exact text shown) and when; who is
-- `uploaded_by`. Null for calls uploaded before consent was asked.
alter table champions add column consent_text text;
alter table champions add column consented_at bigint;

-- The clock of an inactive account starts at this migration for the accounts already there
-- (their earlier logins were not recorded): none is erased for inactivity before that.
alter table users add column last_login_at bigint;
update users set last_login_at = cast(strftime('%s', 'now') as bigint);

-- Append-only: triggers refuse every update and delete. No foreign keys: an entry outlives
-- the account or the data it mentions, and holds ids only (no name, no e-mail).
create table audit_log (
    id integer primary key autoincrement,
    organisation_id bigint,
    actor_id bigint,
    subject_user_id bigint,
    action text not null,
    detail text not null,
    created_at bigint not null
);
create index audit_log_organisation on audit_log(organisation_id, id);
create trigger audit_log_no_update before update on audit_log
begin
    select raise(abort, 'audit_log is append-only');
end;
create trigger audit_log_no_delete before delete on audit_log
begin
    select raise(abort, 'audit_log is append-only');
end;

-- Counts an organisation keeps of sessions that were erased or expired: no user, per skill.
create table anonymous_tallies (
    organisation_id bigint not null references organisations(id) on delete cascade,
    skill_slug text not null,
    sessions bigint not null,
    scored_sessions bigint not null,
    score_sum bigint not null,
    primary key (organisation_id, skill_slug)
);

-- A job held by one instance until `expires_at` (SQLite; PostgreSQL uses an advisory lock).
create table job_leases (
    name text primary key,
    holder text not null,
    expires_at bigint not null
);
