-- A session's scenario (about 20 KB of JSON) is written once, at the start, and read when a
-- process first needs it (the web layer keeps it parsed); the session row, rewritten at
-- every turn, keeps only the state (the same schema as SQLite's, where that matters most).

create table session_scenarios (
    session_id bigint primary key references training_sessions(id) on delete cascade,
    scenario_json text not null
);
insert into session_scenarios (session_id, scenario_json) select id, scenario_json from training_sessions;
alter table training_sessions drop column scenario_json;
