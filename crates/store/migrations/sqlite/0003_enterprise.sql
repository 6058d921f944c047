-- Enterprise: organisations and their members, champions' calls, demo requests.

create table organisations (
    id integer primary key autoincrement,
    name text not null unique,
    created_at bigint not null
);

create table memberships (
    user_id bigint primary key references users(id) on delete cascade,
    organisation_id bigint not null references organisations(id) on delete cascade,
    role text not null check (role in ('manager', 'learner')),
    created_at bigint not null
);
create index memberships_organisation on memberships(organisation_id);

create table champions (
    id integer primary key autoincrement,
    organisation_id bigint not null references organisations(id) on delete cascade,
    uploaded_by bigint not null references users(id) on delete cascade,
    name text not null,
    notes text not null,
    source_kind text not null check (source_kind in ('transcript', 'recording')),
    original_name text not null,
    stored_name text not null,
    turns_json text not null,
    champion_speaker text,
    analysis_json text,
    created_at bigint not null
);
create index champions_organisation on champions(organisation_id, id);

create table demo_requests (
    id integer primary key autoincrement,
    name text not null,
    email text not null,
    company text not null,
    team_size text not null,
    message text not null,
    created_at bigint not null
);
