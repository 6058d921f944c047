-- A programme outlives the erasure of the manager who wrote it (issue 18): its learners'
-- assignments and progress are theirs. `created_by` becomes nullable and is set to null
-- when that account is deleted, instead of deleting the programme with it.

alter table programmes alter column created_by drop not null;
alter table programmes drop constraint programmes_created_by_fkey;
alter table programmes add constraint programmes_created_by_fkey
    foreign key (created_by) references users(id) on delete set null;
