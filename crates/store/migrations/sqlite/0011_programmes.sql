-- Programmes: a manager's ordered list of items (skill, level, pass mark, due date, attempts)
-- assigned to learners of the organisation; each assignment counts the learner's scored
-- sessions started for it (`assignment_sessions`).

create table programmes (
    id integer primary key autoincrement,
    organisation_id bigint not null references organisations(id) on delete cascade,
    created_by bigint not null references users(id) on delete cascade,
    name text not null,
    created_at bigint not null
);
create index programmes_organisation on programmes(organisation_id, id);

create table programme_items (
    programme_id bigint not null references programmes(id) on delete cascade,
    item_index bigint not null,
    skill_slug text not null,
    level text not null check (level in ('easy', 'medium', 'expert')),
    pass_mark bigint not null check (pass_mark between 0 and 100),
    -- The last day (YYYY-MM-DD, UTC) on which passing is on time.
    due text not null,
    max_attempts bigint not null check (max_attempts >= 1),
    primary key (programme_id, item_index)
);

create table assignments (
    id integer primary key autoincrement,
    programme_id bigint not null,
    item_index bigint not null,
    user_id bigint not null references users(id) on delete cascade,
    attempts bigint not null default 0,
    best_score bigint,
    passed_at bigint,
    created_at bigint not null,
    unique (programme_id, item_index, user_id),
    foreign key (programme_id, item_index) references programme_items(programme_id, item_index) on delete cascade
);
create index assignments_user on assignments(user_id);

create table assignment_sessions (
    session_id integer primary key references training_sessions(id) on delete cascade,
    assignment_id bigint not null references assignments(id) on delete cascade
);
create index assignment_sessions_assignment on assignment_sessions(assignment_id);
