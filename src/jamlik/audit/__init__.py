"""The audit log (who changed what, when, before and after) and optimistic locking.

`record(session, actor_user, action, entity, entity_id, before, after)` in the same transaction
as the change; `read_log(...)` and `export_log(...)` for administrators. The log is append-only
in the application and, through triggers, in the database.
"""

from jamlik.audit.export import export_log, format_for, write_log
from jamlik.audit.log import AuditEntry, AuditError, read_log, record, row_snapshot, to_json
from jamlik.audit.versions import (
    ConflictError,
    bump_version,
    check_version,
    claim_version,
    current_version,
)

__all__ = [
    "AuditEntry",
    "AuditError",
    "ConflictError",
    "bump_version",
    "check_version",
    "claim_version",
    "current_version",
    "export_log",
    "format_for",
    "read_log",
    "record",
    "row_snapshot",
    "to_json",
    "write_log",
]
