CREATE TRIGGER runs_audit AFTER INSERT ON runs
    FOR EACH ROW EXECUTE FUNCTION record_audit_entry();
