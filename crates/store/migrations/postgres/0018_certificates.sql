-- Certificates (issue 17): a tier of a skill reached by a learner, kept from the day it was
-- first reached. The id is random (128 bits, hex) and public: anyone given it can check the
-- certificate at /certificats/{id}. Erasing the account erases its certificates.

create table certificates (
    id text primary key,
    user_id bigint not null references users(id) on delete cascade,
    skill_slug text not null,
    tier text not null check (tier in ('bronze', 'silver', 'gold')),
    issued_at bigint not null,
    unique (user_id, skill_slug, tier)
);
