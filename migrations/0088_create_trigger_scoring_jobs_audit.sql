CREATE TRIGGER scoring_jobs_audit AFTER INSERT ON scoring_jobs
    FOR EACH ROW EXECUTE FUNCTION record_audit_entry();
