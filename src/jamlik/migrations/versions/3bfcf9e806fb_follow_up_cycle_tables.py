"""follow-up cycle tables

Adds the tables of `jamlik.cycle` (issue 18): follow-up periods, initiative reports with their
reach grids and attachments, node assessments, corrective actions, who is responsible for
assessing a node, and where reminders to an actor go. They reference programme, node,
initiative and actor ids without foreign keys, so a programme re-import cannot erase them.

Revision ID: 3bfcf9e806fb
Revises: b7d3c1e0a9f2
Create Date: 2026-12-07 23:25:27.631425
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3bfcf9e806fb"
down_revision: str | None = "b7d3c1e0a9f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cycle_contact",
        sa.Column("actor_id", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.PrimaryKeyConstraint("actor_id", name=op.f("pk_cycle_contact")),
    )
    op.create_table(
        "cycle_period",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("programme_id", sa.String(length=120), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("deadline_initiative", sa.Date(), nullable=False),
        sa.Column("deadline_strategy", sa.Date(), nullable=False),
        sa.Column("deadline_target_area", sa.Date(), nullable=False),
        sa.Column("deadline_goal", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_period")),
        sa.UniqueConstraint("programme_id", "label", name=op.f("uq_cycle_period_programme_id")),
    )
    with op.batch_alter_table("cycle_period", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cycle_period_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "cycle_responsible",
        sa.Column("programme_id", sa.String(length=120), nullable=False),
        sa.Column("node_id", sa.String(length=120), nullable=False),
        sa.Column("actor_id", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("programme_id", "node_id", name=op.f("pk_cycle_responsible")),
    )
    with op.batch_alter_table("cycle_responsible", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cycle_responsible_actor_id"), ["actor_id"], unique=False
        )

    op.create_table(
        "cycle_action",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "period_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("programme_id", sa.String(length=120), nullable=False),
        sa.Column("node_id", sa.String(length=120), nullable=True),
        sa.Column("initiative_id", sa.String(length=120), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.String(length=120), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column(
            "followup_period_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("followup_done", sa.Boolean(), nullable=True),
        sa.Column("followup_comment", sa.Text(), nullable=True),
        sa.Column("followed_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("followed_up_by", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["followup_period_id"],
            ["cycle_period.id"],
            name=op.f("fk_cycle_action_followup_period_id_cycle_period"),
        ),
        sa.ForeignKeyConstraint(
            ["period_id"], ["cycle_period.id"], name=op.f("fk_cycle_action_period_id_cycle_period")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_action")),
    )
    with op.batch_alter_table("cycle_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cycle_action_followup_period_id"), ["followup_period_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cycle_action_initiative_id"), ["initiative_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cycle_action_node_id"), ["node_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cycle_action_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cycle_action_period_id"), ["period_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cycle_action_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "cycle_assessment",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "period_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("programme_id", sa.String(length=120), nullable=False),
        sa.Column("node_id", sa.String(length=120), nullable=False),
        sa.Column("node_kind", sa.String(length=40), nullable=False),
        sa.Column("actor_id", sa.String(length=120), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("analysis", sa.Text(), nullable=True),
        sa.Column("judgement", sa.Text(), nullable=True),
        sa.Column("measures", sa.Text(), nullable=True),
        sa.Column("judged_status", sa.String(length=20), nullable=True),
        sa.Column("judged_reason", sa.Text(), nullable=True),
        sa.Column("computed_status", sa.String(length=20), nullable=True),
        sa.Column("computed_reason_sv", sa.Text(), nullable=True),
        sa.Column("computed_reason_en", sa.Text(), nullable=True),
        sa.Column("computed_counts", sa.JSON(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("return_comment", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sa.String(length=80), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["cycle_period.id"],
            name=op.f("fk_cycle_assessment_period_id_cycle_period"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_assessment")),
        sa.UniqueConstraint("period_id", "node_id", name=op.f("uq_cycle_assessment_period_id")),
    )
    with op.batch_alter_table("cycle_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cycle_assessment_actor_id"), ["actor_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cycle_assessment_node_id"), ["node_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cycle_assessment_period_id"), ["period_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cycle_assessment_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "cycle_report",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "period_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("programme_id", sa.String(length=120), nullable=False),
        sa.Column("initiative_id", sa.String(length=120), nullable=False),
        sa.Column("actor_id", sa.String(length=120), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("status_comment", sa.Text(), nullable=True),
        sa.Column("done", sa.Text(), nullable=True),
        sa.Column("next_steps", sa.Text(), nullable=True),
        sa.Column("money_used_sek", sa.BigInteger(), nullable=True),
        sa.Column("return_comment", sa.Text(), nullable=True),
        sa.Column(
            "prefilled_from", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sa.String(length=80), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["period_id"], ["cycle_period.id"], name=op.f("fk_cycle_report_period_id_cycle_period")
        ),
        sa.ForeignKeyConstraint(
            ["prefilled_from"],
            ["cycle_report.id"],
            name=op.f("fk_cycle_report_prefilled_from_cycle_report"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_report")),
        sa.UniqueConstraint("period_id", "initiative_id", name=op.f("uq_cycle_report_period_id")),
    )
    with op.batch_alter_table("cycle_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cycle_report_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cycle_report_initiative_id"), ["initiative_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cycle_report_period_id"), ["period_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cycle_report_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "cycle_attachment",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "report_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["cycle_report.id"],
            name=op.f("fk_cycle_attachment_report_id_cycle_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_attachment")),
    )
    with op.batch_alter_table("cycle_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cycle_attachment_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "cycle_report_reach",
        sa.Column(
            "report_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("area_id", sa.String(length=120), nullable=False),
        sa.Column("dimension_id", sa.String(length=120), nullable=False),
        sa.Column("subgroup_id", sa.String(length=120), nullable=False),
        sa.Column("reached", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["cycle_report.id"],
            name=op.f("fk_cycle_report_reach_report_id_cycle_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "report_id",
            "area_id",
            "dimension_id",
            "subgroup_id",
            name=op.f("pk_cycle_report_reach"),
        ),
    )


def downgrade() -> None:
    op.drop_table("cycle_report_reach")
    with op.batch_alter_table("cycle_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cycle_attachment_report_id"))

    op.drop_table("cycle_attachment")
    with op.batch_alter_table("cycle_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cycle_report_programme_id"))
        batch_op.drop_index(batch_op.f("ix_cycle_report_period_id"))
        batch_op.drop_index(batch_op.f("ix_cycle_report_initiative_id"))
        batch_op.drop_index(batch_op.f("ix_cycle_report_actor_id"))

    op.drop_table("cycle_report")
    with op.batch_alter_table("cycle_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cycle_assessment_programme_id"))
        batch_op.drop_index(batch_op.f("ix_cycle_assessment_period_id"))
        batch_op.drop_index(batch_op.f("ix_cycle_assessment_node_id"))
        batch_op.drop_index(batch_op.f("ix_cycle_assessment_actor_id"))

    op.drop_table("cycle_assessment")
    with op.batch_alter_table("cycle_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cycle_action_programme_id"))
        batch_op.drop_index(batch_op.f("ix_cycle_action_period_id"))
        batch_op.drop_index(batch_op.f("ix_cycle_action_owner_id"))
        batch_op.drop_index(batch_op.f("ix_cycle_action_node_id"))
        batch_op.drop_index(batch_op.f("ix_cycle_action_initiative_id"))
        batch_op.drop_index(batch_op.f("ix_cycle_action_followup_period_id"))

    op.drop_table("cycle_action")
    with op.batch_alter_table("cycle_responsible", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cycle_responsible_actor_id"))

    op.drop_table("cycle_responsible")
    with op.batch_alter_table("cycle_period", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cycle_period_programme_id"))

    op.drop_table("cycle_period")
    op.drop_table("cycle_contact")
