"""workspace setting

Adds `workspace_setting`: workspace-wide settings as JSON under a key. The first is the
suppression policy (`jamlik.data.policy`, key "suppression_policy"); a workspace without the row
uses the default policy, so upgrading changes nothing that is shown.

Revision ID: b7d3c1e0a9f2
Revises: 9a305998e8d4
Create Date: 2026-12-07 20:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7d3c1e0a9f2"
down_revision: str | None = "9a305998e8d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workspace_setting",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_workspace_setting")),
    )


def downgrade() -> None:
    op.drop_table("workspace_setting")
