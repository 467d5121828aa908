CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    project_id uuid,
    actor_id uuid,
    actor_name text NOT NULL DEFAULT '',
    kind text NOT NULL,
    summary text NOT NULL,
    subject_table text NOT NULL DEFAULT '',
    subject_id text NOT NULL DEFAULT '',
    details jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
