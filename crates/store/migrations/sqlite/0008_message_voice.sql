-- How a spoken learner turn was said (speaking time, pause, interruption), as JSON;
-- null for typed turns and prospect lines.

alter table messages add column voice_json text;
