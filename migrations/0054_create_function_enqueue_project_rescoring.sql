CREATE FUNCTION enqueue_project_rescoring() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO scoring_jobs (run_id, reason)
    SELECT r.id, 'thresholds' FROM runs r WHERE r.project_id = NEW.id
    ON CONFLICT (run_id) WHERE status = 'pending' DO NOTHING;
    RETURN NEW;
END
$$;
