-- Cost control of the optional LLM: every call (or generation attempt) with its tokens,
-- per user and, for the prospect's lines, per session. And generated scenarios a manager
-- shares with their organisation.

create table llm_usage (
    id integer primary key autoincrement,
    user_id bigint not null references users(id) on delete cascade,
    session_id bigint references training_sessions(id) on delete cascade,
    -- 'realiser' (a prospect line) or 'generation' (a scenario, up to two calls)
    purpose text not null,
    -- 'used', 'refused' (the guards kept the scripted line) or 'failed' (no answer)
    outcome text not null,
    calls bigint not null,
    input_tokens bigint not null,
    output_tokens bigint not null,
    created_at bigint not null
);
create index llm_usage_user on llm_usage(user_id, created_at);
create index llm_usage_session on llm_usage(session_id);

alter table generated_scenarios add column organisation_id bigint references organisations(id) on delete cascade;
create index generated_scenarios_organisation on generated_scenarios(organisation_id, id);
