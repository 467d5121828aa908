CREATE TABLE runs (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    prompt_version_id uuid NOT NULL REFERENCES prompt_versions (id) ON DELETE CASCADE,
    image_id uuid NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    lineage_id uuid NOT NULL,
    revision integer NOT NULL CHECK (revision > 0),
    model_name text NOT NULL CHECK (length(model_name) <= 200),
    description text CHECK (length(description) <= 100000),
    latency_ms integer CHECK (latency_ms >= 0),
    source text NOT NULL CHECK (source IN ('browser', 'api', 'demo', 'builtin')),
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (lineage_id, revision)
);
