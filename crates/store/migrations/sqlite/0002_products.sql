-- The catalogue's products with their proof and competition (seed phase 1), refreshed from
-- the catalogue at start. JSON documents are stored as text.

create table product_infos (
    id integer primary key autoincrement,
    slug text not null unique,
    category text not null,
    name text not null,
    tagline text not null,
    how_it_works text not null,
    integrations text not null,
    support_included text not null,
    pricing text not null,
    updated_at bigint not null
);

create table proof_elements (
    id integer primary key autoincrement,
    product_id bigint not null unique references product_infos(id) on delete cascade,
    testimonials text not null,
    case_studies text not null,
    stats text not null,
    notable_clients text not null
);

create table competition_infos (
    id integer primary key autoincrement,
    product_id bigint not null unique references product_infos(id) on delete cascade,
    main_competitors text not null,
    our_differentiator text not null,
    switch_cost text not null
);
