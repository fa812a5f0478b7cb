"""Alembic environment: always run from `jamlik.migrate`, which hands over an open connection."""

from alembic import context

import jamlik.accounts.tables  # noqa: F401
import jamlik.audit.tables  # noqa: F401
import jamlik.cycle.tables  # noqa: F401
import jamlik.data.tables  # noqa: F401  (registers tables on Base.metadata)
import jamlik.invest.tables  # noqa: F401
import jamlik.programme.tables  # noqa: F401
from jamlik.db import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
