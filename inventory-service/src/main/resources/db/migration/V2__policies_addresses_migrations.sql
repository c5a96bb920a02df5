-- The policy an operator set for a guest (PUT /api/v1/guests/{id}/policy). Guests without a row have the
-- scaler's default policy. No foreign key to guest: an operator may set a policy before the guest's host reports it.
CREATE TABLE scaling_policy (
    guest_id                  VARCHAR(255) PRIMARY KEY,
    min_memory_mib            BIGINT           NOT NULL CHECK (min_memory_mib >= 0),
    max_memory_mib            BIGINT           NOT NULL,
    min_vcpus                 INT              NOT NULL CHECK (min_vcpus >= 0),
    max_vcpus                 INT              NOT NULL,
    target_memory_utilisation DOUBLE PRECISION NOT NULL CHECK (target_memory_utilisation > 0 AND target_memory_utilisation <= 1),
    target_cpu_utilisation    DOUBLE PRECISION NOT NULL CHECK (target_cpu_utilisation > 0 AND target_cpu_utilisation <= 1),
    priority                  INT              NOT NULL,
    migratable                BOOLEAN          NOT NULL,
    never_restart             BOOLEAN          NOT NULL,
    anti_affinity_group       VARCHAR(255),
    updated_at                TIMESTAMPTZ      NOT NULL,
    CHECK (min_memory_mib <= max_memory_mib),
    CHECK (min_vcpus <= max_vcpus)
);

-- Events to publish, written in the same transaction as the change they announce and relayed to Kafka
-- afterwards (OutboxRelay): a change is published if and only if it committed.
CREATE TABLE outbox (
    id         BIGSERIAL    PRIMARY KEY,
    event_id   VARCHAR(255) NOT NULL UNIQUE,
    event_type VARCHAR(255) NOT NULL,
    source     VARCHAR(255) NOT NULL,
    event_time TIMESTAMPTZ  NOT NULL,
    record_key VARCHAR(255) NOT NULL,
    payload    TEXT         NOT NULL,
    sent_at    TIMESTAMPTZ
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- IPv6 prefixes guests get their addresses from: a site's, or one host's. The database refuses what the API
-- must refuse anyway: IPv4, and a prefix overlapping another (two prefixes sharing addresses could hand one
-- address to two guests).
CREATE TABLE ipv6_prefix (
    id          BIGSERIAL    PRIMARY KEY,
    prefix      VARCHAR(64)  NOT NULL UNIQUE,
    net         CIDR         GENERATED ALWAYS AS (prefix::cidr) STORED,
    scope       VARCHAR(8)   NOT NULL CHECK (scope IN ('SITE', 'HOST')),
    scope_id    VARCHAR(255) NOT NULL,
    -- The offset of the next address to hand out, counted from the prefix's first address.
    next_offset BIGINT       NOT NULL CHECK (next_offset > 0),
    created_at  TIMESTAMPTZ  NOT NULL,
    CHECK (family(net) = 6),
    EXCLUDE USING gist (net inet_ops WITH &&)
);
CREATE INDEX ipv6_prefix_scope ON ipv6_prefix (scope, scope_id);

-- One address per guest (the primary key), never one address for two guests (the unique constraint). Keyed by
-- guest, not host: a migrated guest keeps its address.
CREATE TABLE guest_address (
    guest_id     VARCHAR(255) PRIMARY KEY,
    address      VARCHAR(64)  NOT NULL UNIQUE,
    prefix_id    BIGINT       NOT NULL REFERENCES ipv6_prefix (id),
    allocated_at TIMESTAMPTZ  NOT NULL
);

-- One row per migration, as its latest event left it.
CREATE TABLE migration_record (
    migration_id   VARCHAR(255) PRIMARY KEY,
    guest_id       VARCHAR(255) NOT NULL,
    state          VARCHAR(16),
    source_host_id VARCHAR(255),
    target_host_id VARCHAR(255),
    reason         TEXT,
    started_at     TIMESTAMPTZ  NOT NULL,
    updated_at     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX migration_record_guest ON migration_record (guest_id);

-- Every migration event, for the guest's timeline.
CREATE TABLE migration_step_record (
    event_id       VARCHAR(255) PRIMARY KEY,
    migration_id   VARCHAR(255) NOT NULL,
    guest_id       VARCHAR(255) NOT NULL,
    kind           VARCHAR(16)  NOT NULL,
    step           VARCHAR(16),
    command_id     VARCHAR(255),
    state          VARCHAR(16),
    host_id        VARCHAR(255),
    source_host_id VARCHAR(255),
    target_host_id VARCHAR(255),
    reason         TEXT,
    occurred_at    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX migration_step_record_guest ON migration_step_record (guest_id, occurred_at);

-- Kept samples only (at most one per guest per sampling interval, for a limited time): the dashboard's chart.
CREATE TABLE guest_sample (
    guest_id            VARCHAR(255)     NOT NULL,
    sampled_at          TIMESTAMPTZ      NOT NULL,
    memory_assigned_mib BIGINT           NOT NULL,
    memory_used_mib     BIGINT           NOT NULL,
    vcpus               INT              NOT NULL,
    cpu_usage           DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (guest_id, sampled_at)
);

-- When a migration last moved the guest: a host status observed before it must not move the guest back.
ALTER TABLE guest ADD COLUMN placed_at TIMESTAMPTZ;
CREATE INDEX guest_state_host ON host (state);
