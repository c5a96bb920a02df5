-- The fleet as the agents last reported it. Timestamps are the agents' own (observed/sampled/completed),
-- so an older report arriving late never overwrites a newer one.
CREATE TABLE host (
    id                 VARCHAR(255) PRIMARY KEY,
    state              VARCHAR(16)  NOT NULL,
    management_address VARCHAR(64),
    driver             VARCHAR(32)  NOT NULL,
    capabilities       VARCHAR(255) NOT NULL,
    memory_total_mib   BIGINT       NOT NULL CHECK (memory_total_mib >= 0),
    memory_free_mib    BIGINT       NOT NULL CHECK (memory_free_mib >= 0),
    vcpus_total        INT          NOT NULL CHECK (vcpus_total >= 0),
    vcpus_free         INT          NOT NULL CHECK (vcpus_free >= 0),
    observed_at        TIMESTAMPTZ  NOT NULL
);

CREATE TABLE guest (
    id               VARCHAR(255) PRIMARY KEY,
    host_id          VARCHAR(255) NOT NULL,
    memory_mib       BIGINT       NOT NULL CHECK (memory_mib >= 0),
    max_memory_mib   BIGINT       NOT NULL CHECK (max_memory_mib >= 0),
    vcpus            INT          NOT NULL CHECK (vcpus >= 0),
    max_vcpus        INT          NOT NULL CHECK (max_vcpus >= 0),
    size_observed_at TIMESTAMPTZ  NOT NULL,
    memory_used_mib  BIGINT,
    cpu_usage        DOUBLE PRECISION,
    sampled_at       TIMESTAMPTZ
);
CREATE INDEX guest_host ON guest (host_id);

CREATE TABLE resize_record (
    command_id        VARCHAR(255) PRIMARY KEY,
    guest_id          VARCHAR(255) NOT NULL,
    host_id           VARCHAR(255) NOT NULL,
    outcome           VARCHAR(16)  NOT NULL,
    reason_code       VARCHAR(64),
    message           TEXT,
    memory_before_mib BIGINT,
    vcpus_before      INT,
    memory_after_mib  BIGINT,
    vcpus_after       INT,
    completed_at      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX resize_record_guest ON resize_record (guest_id, completed_at);

-- Event ids already applied: inserted in the same transaction as the event's effect (at-least-once in,
-- exactly-once effect).
CREATE TABLE processed_event (
    event_id     VARCHAR(255) PRIMARY KEY,
    processed_at TIMESTAMPTZ NOT NULL
);
