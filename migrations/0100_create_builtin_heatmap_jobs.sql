CREATE TABLE builtin_heatmap_jobs (
    id bigserial PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    image_id uuid NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    prompt_version_id uuid NOT NULL REFERENCES prompt_versions (id) ON DELETE CASCADE,
    layer text NOT NULL CHECK (layer IN ('head', 'stage5')),
    targets jsonb NOT NULL CHECK (jsonb_typeof(targets) = 'array' AND jsonb_array_length(targets) > 0),
    description text CHECK (length(description) <= 100000),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    locked_at timestamptz,
    locked_by text,
    last_error text,
    run_id uuid REFERENCES runs (id) ON DELETE SET NULL,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz
);
