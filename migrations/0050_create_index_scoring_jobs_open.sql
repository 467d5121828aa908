CREATE INDEX scoring_jobs_open_idx ON scoring_jobs (status, created_at) WHERE status IN ('pending', 'running');
