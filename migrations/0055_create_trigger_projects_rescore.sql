CREATE TRIGGER projects_rescore AFTER UPDATE OF min_energy, min_coverage, max_energy, hot_threshold ON projects
    FOR EACH ROW
    WHEN (OLD.min_energy IS DISTINCT FROM NEW.min_energy OR OLD.min_coverage IS DISTINCT FROM NEW.min_coverage
          OR OLD.max_energy IS DISTINCT FROM NEW.max_energy OR OLD.hot_threshold IS DISTINCT FROM NEW.hot_threshold)
    EXECUTE FUNCTION enqueue_project_rescoring();
