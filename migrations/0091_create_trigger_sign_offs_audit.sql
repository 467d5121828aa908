CREATE TRIGGER sign_offs_audit AFTER INSERT ON sign_offs
    FOR EACH ROW EXECUTE FUNCTION record_audit_entry();
