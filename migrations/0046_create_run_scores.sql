CREATE TABLE run_scores (
    id uuid PRIMARY KEY,
    run_id uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    verdict text NOT NULL CHECK (verdict IN ('pass', 'fail', 'error')),
    diagnosis json,
    error_code text,
    error_message text,
    engine_version text NOT NULL,
    region_version_id uuid REFERENCES region_versions (id) ON DELETE SET NULL,
    thresholds jsonb NOT NULL,
    job_id bigint,
    scored_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
