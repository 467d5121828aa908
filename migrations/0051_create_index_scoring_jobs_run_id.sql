CREATE INDEX scoring_jobs_run_id_idx ON scoring_jobs (run_id);
