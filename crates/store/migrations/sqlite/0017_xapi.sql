-- Learning standards (issue 18): each organisation's Learning Record Store (xAPI), the
-- statements waiting for it (an outbox filled in the transaction that stores a session's
-- report, emptied by the sender of every instance), the key that signs SCORM launch links
-- (made once, shared by every instance) and the SCORM launches bound to learners.

-- The secret is kept as given: HTTP Basic auth needs it in clear. It is never printed.
create table organisation_lrs (
    organisation_id integer primary key references organisations(id) on delete cascade,
    endpoint text not null,
    lrs_key text not null,
    lrs_secret text not null,
    updated_at bigint not null
);

-- One row per scored session: what the statements say (`facts_json`, built by the web
-- layer) and the pass mark of the assignment the session counted for, if any. A sender
-- claims due rows (`claimed_until` in the future) before posting them; a failure puts the
-- row back with a later `next_attempt_at`. A session erased takes its row with it.
create table xapi_outbox (
    id integer primary key autoincrement,
    organisation_id bigint not null references organisations(id) on delete cascade,
    session_id bigint not null unique references training_sessions(id) on delete cascade,
    facts_json text not null,
    pass_mark bigint,
    attempts bigint not null default 0,
    next_attempt_at bigint not null,
    claimed_until bigint not null default 0,
    claimed_by text,
    last_error text,
    sent_at bigint,
    created_at bigint not null
);
create index xapi_outbox_due on xapi_outbox(sent_at, next_attempt_at);

-- Secrets the instances share (the SCORM launch-link key), created on first use.
create table app_keys (
    name text primary key,
    value text not null,
    created_at bigint not null
);

-- A SCORM launch: the attempt id the package's launch page drew (stored hashed), bound to
-- the learner who opened Réplique with it. The page then asks for the learner's result on
-- the skill with the attempt id and its signed launch token.
create table scorm_attempts (
    attempt_hash text primary key,
    organisation_id bigint not null references organisations(id) on delete cascade,
    user_id bigint not null references users(id) on delete cascade,
    skill_slug text not null,
    created_at bigint not null
);
