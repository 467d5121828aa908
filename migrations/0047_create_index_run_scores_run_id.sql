CREATE INDEX run_scores_run_id_idx ON run_scores (run_id, scored_at DESC);
