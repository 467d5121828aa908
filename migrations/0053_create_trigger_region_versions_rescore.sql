CREATE TRIGGER region_versions_rescore AFTER INSERT ON region_versions
    FOR EACH ROW EXECUTE FUNCTION enqueue_image_rescoring();
