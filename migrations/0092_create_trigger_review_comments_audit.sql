CREATE TRIGGER review_comments_audit AFTER INSERT OR UPDATE OR DELETE ON review_comments
    FOR EACH ROW EXECUTE FUNCTION record_audit_entry();
