CREATE TRIGGER project_members_audit AFTER INSERT OR UPDATE OR DELETE ON project_members
    FOR EACH ROW EXECUTE FUNCTION record_audit_entry();
