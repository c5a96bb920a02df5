-- The saga's progress: which step it waits for, on which host, until when; what a failure interrupted.
ALTER TABLE migration
    ADD COLUMN method        VARCHAR(32),
    ADD COLUMN step          VARCHAR(32),
    ADD COLUMN step_host_id  VARCHAR(255),
    ADD COLUMN attempt       INT NOT NULL DEFAULT 0,
    ADD COLUMN command_id    VARCHAR(512),
    ADD COLUMN step_deadline TIMESTAMPTZ,
    ADD COLUMN failed_in     VARCHAR(32),
    ADD COLUMN drain_id      VARCHAR(255);
-- The timeout scan and the reservation sum read only sagas in flight.
CREATE INDEX migration_due ON migration (step_deadline) WHERE step_deadline IS NOT NULL;
CREATE INDEX migration_target ON migration (target_host_id, state);

-- Transactional outbox: events and commands written in the saga's own transaction, relayed to Kafka
-- afterwards under the event id they were given here (a relay that crashes sends them again, same id).
CREATE TABLE outbox (
    seq         BIGSERIAL    PRIMARY KEY,
    event_id    VARCHAR(255) NOT NULL UNIQUE,
    event_type  VARCHAR(255) NOT NULL,
    record_key  VARCHAR(255) NOT NULL,
    payload     BYTEA        NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL
);

-- Step outcomes already applied, by CloudEvents id: a redelivered outcome changes nothing.
CREATE TABLE processed_event (
    event_id     VARCHAR(255) PRIMARY KEY,
    processed_at TIMESTAMPTZ  NOT NULL
);

CREATE TABLE drain (
    id          VARCHAR(255) PRIMARY KEY,
    host_id     VARCHAR(255) NOT NULL,
    state       VARCHAR(32)  NOT NULL,
    concurrency INT          NOT NULL CHECK (concurrency > 0),
    reason      TEXT,
    created_at  TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX drain_host ON drain (host_id, created_at);
-- At most one drain in progress per host.
CREATE UNIQUE INDEX drain_running ON drain (host_id) WHERE state = 'RUNNING';

CREATE TABLE drain_guest (
    drain_id     VARCHAR(255) NOT NULL REFERENCES drain (id),
    guest_id     VARCHAR(255) NOT NULL,
    position     INT          NOT NULL,
    memory_mib   BIGINT       NOT NULL,
    vcpus        INT          NOT NULL,
    target_host_id VARCHAR(255) NOT NULL,
    migration_id VARCHAR(255),
    PRIMARY KEY (drain_id, guest_id)
);
