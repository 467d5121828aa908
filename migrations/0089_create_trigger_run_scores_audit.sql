CREATE TRIGGER run_scores_audit AFTER INSERT ON run_scores
    FOR EACH ROW EXECUTE FUNCTION record_audit_entry();
