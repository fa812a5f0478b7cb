"""Schema creation and upgrades through Alembic (`jamlik/migrations`)."""

from __future__ import annotations

from sqlalchemy import Engine


def upgrade(engine: Engine) -> None:
    # TEMPORARY while the tables settle: the lead replaces this with `alembic upgrade head`
    # before the first landing. Helpers: do not write migrations.
    import jamlik.data.tables  # noqa: F401
    import jamlik.programme.tables  # noqa: F401
    from jamlik.db import Base

    Base.metadata.create_all(engine)
