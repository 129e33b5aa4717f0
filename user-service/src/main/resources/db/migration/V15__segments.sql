-- Saved audiences (POST /api/segments): a name and a filter kept as data (the members of the API's SegmentFilter as
-- a JSON object, never SQL text), with every version kept: an edit adds a row to segment_versions. The id is what
-- names a segment: two may share a name.
CREATE TABLE segments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT        NOT NULL,
    filter     JSONB       NOT NULL,
    version    INT         NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT        NOT NULL
);

CREATE TABLE segment_versions (
    segment_id BIGINT      NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    version    INT         NOT NULL,
    name       TEXT        NOT NULL,
    filter     JSONB       NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    changed_by TEXT        NOT NULL,
    PRIMARY KEY (segment_id, version)
);
