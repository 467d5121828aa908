CREATE TABLE sign_offs (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    prompt_version_id uuid NOT NULL REFERENCES prompt_versions (id) ON DELETE CASCADE,
    sequence integer NOT NULL CHECK (sequence > 0),
    reviewer_id uuid REFERENCES users (id) ON DELETE SET NULL,
    reviewer_name text NOT NULL DEFAULT '',
    decision text NOT NULL CHECK (decision IN ('approve', 'reject')),
    comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 10000),
    override boolean NOT NULL DEFAULT false,
    digest text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
    digest_input jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (prompt_version_id, sequence)
);
