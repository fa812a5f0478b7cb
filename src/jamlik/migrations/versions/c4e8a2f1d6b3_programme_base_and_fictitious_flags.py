"""programme base and fictitious flags

Adds `programme.imported` (the programme as its file last imported it, the base a re-import
merges against so web edits are kept; NULL for programmes imported before, whose base is rebuilt
from the audit log at the next import) and the stored flags `programme.fictitious` and
`import_record.fictitious` that replace two text rules (the web matched "Fiktiva exempeldata"
in the programme's title and the imports' provenance, the follow-up matched either language's
marker in any header text). Existing rows get the flag where either old rule matched, so an
upgraded demo workspace stays marked as invented.

Revision ID: c4e8a2f1d6b3
Revises: 3bfcf9e806fb
Create Date: 2026-12-07 23:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4e8a2f1d6b3"
down_revision: str | None = "3bfcf9e806fb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARKERS = ("fiktiva exempeldata", "fictitious example data")


def _marked(*columns: sa.ColumnElement) -> sa.ColumnElement:
    texts = [sa.func.lower(sa.func.coalesce(c, "")) for c in columns]
    return sa.or_(*(t.like(f"%{m}%") for t in texts for m in MARKERS))


def upgrade() -> None:
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fictitious", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("imported", sa.Text(), nullable=True))
    with op.batch_alter_table("import_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fictitious", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    programme = sa.table(
        "programme",
        sa.column("title", sa.Text),
        sa.column("title_en", sa.Text),
        sa.column("description", sa.Text),
        sa.column("description_en", sa.Text),
        sa.column("source", sa.Text),
        sa.column("fictitious", sa.Boolean),
    )
    p = programme.c
    op.execute(
        programme.update()
        .where(_marked(p.title, p.title_en, p.description, p.description_en, p.source))
        .values(fictitious=True)
    )
    imports = sa.table(
        "import_record",
        sa.column("source", sa.Text),
        sa.column("attribution", sa.Text),
        sa.column("fictitious", sa.Boolean),
    )
    op.execute(
        imports.update()
        .where(_marked(imports.c.source, imports.c.attribution))
        .values(fictitious=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("import_record", schema=None) as batch_op:
        batch_op.drop_column("fictitious")
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_column("imported")
        batch_op.drop_column("fictitious")
