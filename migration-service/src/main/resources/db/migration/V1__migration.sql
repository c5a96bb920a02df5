-- A migration saga's persisted state: a restart of migration-service resumes from here.
CREATE TABLE migration (
    id                  VARCHAR(255) PRIMARY KEY,
    request_id          VARCHAR(255) NOT NULL UNIQUE,
    guest_id            VARCHAR(255) NOT NULL,
    source_host_id      VARCHAR(255) NOT NULL,
    target_host_id      VARCHAR(255),
    state               VARCHAR(32)  NOT NULL,
    reason              TEXT         NOT NULL,
    requested_by        VARCHAR(255) NOT NULL,
    required_memory_mib BIGINT       NOT NULL CHECK (required_memory_mib >= 0),
    required_vcpus      INT          NOT NULL CHECK (required_vcpus >= 0),
    requested_at        TIMESTAMPTZ  NOT NULL,
    updated_at          TIMESTAMPTZ  NOT NULL
);
CREATE INDEX migration_state ON migration (state);
CREATE INDEX migration_guest ON migration (guest_id);
