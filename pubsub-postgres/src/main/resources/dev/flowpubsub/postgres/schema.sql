-- flow-pubsub's tables on PostgreSQL, for teams that manage their own migrations: run it once, then start the nodes
-- with PostgresTransport.Builder.createSchema(false) (pubsub.postgres.create-schema=false). Nodes that create the
-- schema themselves (the default) run this same script. To use another schema or table name, replace "public" and
-- every "flow_pubsub" below, and configure the same names (schema(...), table(...)).

CREATE SCHEMA IF NOT EXISTS public;

-- Topics are UTF-8 bytes (bytea): the hub's own topics hold a NUL character, which text cannot.

-- The ordered log: every node appends what it sends and reads what the others append, in id order. Appends are
-- serialized (an advisory lock per log, taken in the inserting transaction), so ids commit in increasing order and
-- a reader that reads "id > the last it saw" never skips a row that commits late.
CREATE TABLE IF NOT EXISTS public.flow_pubsub_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    format     smallint    NOT NULL,
    origin     text        NOT NULL,
    sequence   bigint      NOT NULL,
    topic      bytea,
    sent_at    bigint      NOT NULL,
    payload    bytea       NOT NULL,
    CONSTRAINT flow_pubsub_log_origin_sequence UNIQUE (origin, sequence)
);
CREATE INDEX IF NOT EXISTS flow_pubsub_log_created_at ON public.flow_pubsub_log (created_at);

-- The last messages of topics with history (HistoryPolicy), kept apart from the log and longer.
CREATE TABLE IF NOT EXISTS public.flow_pubsub_history (
    log_id     bigint      PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    topic      bytea       NOT NULL,
    origin     text        NOT NULL,
    sequence   bigint      NOT NULL,
    sent_at    bigint      NOT NULL,
    payload    bytea       NOT NULL
);
CREATE INDEX IF NOT EXISTS flow_pubsub_history_topic ON public.flow_pubsub_history (topic, log_id);
