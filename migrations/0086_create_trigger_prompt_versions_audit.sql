CREATE TRIGGER prompt_versions_audit AFTER INSERT OR UPDATE OR DELETE ON prompt_versions
    FOR EACH ROW EXECUTE FUNCTION record_audit_entry();
