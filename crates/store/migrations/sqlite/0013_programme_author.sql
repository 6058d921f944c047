-- A programme outlives the erasure of the manager who wrote it (issue 18): its learners'
-- assignments and progress are theirs. `created_by` becomes nullable and is set to null
-- when that account is deleted, instead of deleting the programme with it.
--
-- SQLite cannot change a column's constraint: the table is rebuilt (the documented
-- twelve-step way). `Store::migrate` runs the SQLite migrations with foreign keys off (a
-- pragma that cannot change inside a migration's transaction) and checks them after: with
-- them on, dropping the old table would delete every item and assignment through their
-- `on delete cascade`.
create table programmes_new (
    id integer primary key autoincrement,
    organisation_id bigint not null references organisations(id) on delete cascade,
    created_by bigint references users(id) on delete set null,
    name text not null,
    created_at bigint not null
);
insert into programmes_new (id, organisation_id, created_by, name, created_at)
    select id, organisation_id, created_by, name, created_at from programmes;
drop table programmes;
alter table programmes_new rename to programmes;
create index programmes_organisation on programmes(organisation_id, id);
