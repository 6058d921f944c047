-- Accounts, login sessions, training sessions, their messages and reports.
-- Timestamps are Unix seconds (UTC); JSON documents are stored as text.

create table users (
    id integer primary key autoincrement,
    email text not null unique,
    name text not null,
    password_hash text not null,
    plan text not null check (plan in ('free', 'trial', 'premium', 'enterprise')),
    trial_ends_at bigint,
    created_at bigint not null
);

create table auth_sessions (
    token_hash text primary key,
    user_id bigint not null references users(id) on delete cascade,
    created_at bigint not null,
    expires_at bigint not null
);
create index auth_sessions_user on auth_sessions(user_id);

create table training_sessions (
    id integer primary key autoincrement,
    user_id bigint not null references users(id) on delete cascade,
    skill_slug text not null,
    sector_slug text not null,
    level text not null,
    template_id text not null,
    seed bigint not null,
    status text not null check (status in ('active', 'ended')),
    end_type text,
    starting_gauge bigint not null,
    gauge bigint not null,
    mood text not null,
    exchanges bigint not null,
    scenario_json text not null,
    state_json text not null,
    created_at bigint not null,
    updated_at bigint not null,
    ended_at bigint
);
create index training_sessions_user on training_sessions(user_id, id);

create table messages (
    id integer primary key autoincrement,
    session_id bigint not null references training_sessions(id) on delete cascade,
    seq bigint not null,
    role text not null check (role in ('user', 'prospect')),
    content text not null,
    gauge_after bigint not null,
    patterns_json text not null,
    created_at bigint not null,
    unique (session_id, seq)
);

create table reports (
    session_id bigint primary key references training_sessions(id) on delete cascade,
    final_score bigint not null,
    report_json text not null,
    created_at bigint not null
);
