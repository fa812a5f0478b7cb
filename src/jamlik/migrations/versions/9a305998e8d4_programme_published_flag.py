"""programme published flag

Adds `programme.published`: whether the web site shows the programme to visitors who have not
signed in. Programmes stored before this migration become unpublished (opt-in publication):
an upgrade must not expose a programme nobody chose to publish. An administrator turns it on
at /admin/programme, or a re-import of a file with `published: true` does.

Revision ID: 9a305998e8d4
Revises: 1041e7cfac4d
Create Date: 2026-12-03 18:46:37.524212
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9a305998e8d4"
down_revision: str | None = "1041e7cfac4d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Adding a column needs no table copy on SQLite, so batch mode leaves the table as it is.
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("published", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_column("published")
