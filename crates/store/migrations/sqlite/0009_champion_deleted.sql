-- Deleting a champion keeps the training history of the team: the call is marked deleted
-- (hidden from the list, no new training on it, its uploaded file removed) and the
-- sessions on it, with their answers and comparisons, stay.

alter table champions add column deleted_at bigint;
