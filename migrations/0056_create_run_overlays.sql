CREATE TABLE run_overlays (
    run_id uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    cache_key text NOT NULL,
    png bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, cache_key)
);
