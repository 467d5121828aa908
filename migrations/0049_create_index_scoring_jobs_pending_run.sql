CREATE UNIQUE INDEX scoring_jobs_pending_run_idx ON scoring_jobs (run_id) WHERE status = 'pending';
