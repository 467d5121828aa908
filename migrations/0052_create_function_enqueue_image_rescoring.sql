CREATE FUNCTION enqueue_image_rescoring() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO scoring_jobs (run_id, reason)
    SELECT r.id, 'regions' FROM runs r WHERE r.image_id = NEW.image_id
    ON CONFLICT (run_id) WHERE status = 'pending' DO NOTHING;
    RETURN NEW;
END
$$;
