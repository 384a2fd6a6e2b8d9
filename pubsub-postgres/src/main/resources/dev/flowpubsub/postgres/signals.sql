-- flow-pubsub's tables for shared signals on PostgreSQL, for teams that manage their own migrations: run it once, as
-- schema.sql, then start the nodes with PostgresTransport.Builder.createSchema(false)
-- (pubsub.postgres.create-schema=false). Nodes that create the schema themselves (the default) run this same script
-- when the first shared signal is made. The application's role needs SELECT, INSERT, UPDATE and DELETE on the three
-- tables. To use another schema or table name, replace "public" and every "flow_pubsub" below, and configure the
-- same names (schema(...), table(...)).

CREATE SCHEMA IF NOT EXISTS public;

-- One row: the log's epoch (a random id, written with the row, so tables made again get a new one), its head (the
-- position of the newest entry) and its trim watermark (the highest position trimmed away). Each append raises the
-- head in its transaction: the row's lock serializes appends, so positions commit in order, one after another with
-- no gap, and no reader sees a position before the one below it. The nodes insert the row when it is missing.
CREATE TABLE IF NOT EXISTS public.flow_pubsub_signal_head (
    one     boolean PRIMARY KEY DEFAULT true CHECK (one),
    epoch   text    NOT NULL,
    head    bigint  NOT NULL DEFAULT 0,
    trimmed bigint  NOT NULL DEFAULT 0
);

-- The log of shared signals' writes, at positions 1, 2, 3... Names are UTF-8 bytes (bytea), as topics are.
CREATE TABLE IF NOT EXISTS public.flow_pubsub_signals (
    position bigint  PRIMARY KEY,
    name     bytea   NOT NULL,
    origin   text    NOT NULL,
    sequence bigint  NOT NULL,
    format   integer NOT NULL,
    writer   text    NOT NULL,
    payload  bytea   NOT NULL
);
CREATE INDEX IF NOT EXISTS flow_pubsub_signals_name ON public.flow_pubsub_signals (name, position);

-- The newest snapshot of each signal: its state up to a position of the log.
CREATE TABLE IF NOT EXISTS public.flow_pubsub_snapshots (
    name     bytea   PRIMARY KEY,
    position bigint  NOT NULL,
    format   integer NOT NULL,
    writer   text    NOT NULL,
    payload  bytea   NOT NULL
);
