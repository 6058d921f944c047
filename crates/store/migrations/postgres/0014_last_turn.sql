-- The answer to a session's last turn (JSON: the learner's message and the turn as it was
-- answered), so that a request repeated because its answer was lost (the instance died,
-- the connection broke) gets that answer again instead of being played twice. Only the
-- last turn is kept: a client retries the turn it is waiting for, never an older one.

alter table training_sessions add column last_turn_json text;
