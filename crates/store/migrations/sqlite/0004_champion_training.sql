-- V1 training on a champion's call: the learner answers the client's lines of the call,
-- one by one, and is compared with the champion.

create table champion_sessions (
    id integer primary key autoincrement,
    organisation_id bigint not null references organisations(id) on delete cascade,
    user_id bigint not null references users(id) on delete cascade,
    champion_id bigint not null references champions(id) on delete cascade,
    position bigint not null,
    status text not null check (status in ('active', 'ended')),
    created_at bigint not null,
    ended_at bigint
);
create index champion_sessions_user on champion_sessions(user_id, id);

create table champion_answers (
    session_id bigint not null references champion_sessions(id) on delete cascade,
    position bigint not null,
    answer text not null,
    patterns_json text not null,
    created_at bigint not null,
    primary key (session_id, position)
);
