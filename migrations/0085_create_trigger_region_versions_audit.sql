CREATE TRIGGER region_versions_audit AFTER INSERT ON region_versions
    FOR EACH ROW EXECUTE FUNCTION record_audit_entry();
