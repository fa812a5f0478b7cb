"""initial schema: programme and data tables

Revision ID: d542c00dae67
Revises:
Create Date: 2026-11-23 18:33:04.347705
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d542c00dae67"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "area",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.String(length=120), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("population", sa.BigInteger(), nullable=True),
        sa.Column("geometry", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["area.id"], name=op.f("fk_area_parent_id_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area")),
    )
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_area_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "dimension",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=True),
        sa.Column("ordered", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dimension")),
    )
    op.create_table(
        "import_record",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=True),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("attribution", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("query", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_record")),
    )
    with op.batch_alter_table("import_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_record_checksum"), ["checksum"], unique=False)

    op.create_table(
        "indicator",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("title_en", sa.String(length=400), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(length=80), nullable=True),
        sa.Column("scale", sa.Float(), nullable=False),
        sa.Column("polarity", sa.String(length=20), nullable=False),
        sa.Column("source_kind", sa.String(length=20), nullable=True),
        sa.Column("source_ref", sa.String(length=400), nullable=True),
        sa.Column("dimensions", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
    )
    op.create_table(
        "programme",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
    )
    op.create_table(
        "actor",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("programme_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("parent_id", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["actor.id"], name=op.f("fk_actor_parent_id_actor")),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_actor_programme_id_programme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor")),
    )
    with op.batch_alter_table("actor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actor_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "indicator_target",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("indicator_id", sa.String(length=120), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("measure", sa.String(length=20), nullable=True),
        sa.Column("dimension_id", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["dimension_id"],
            ["dimension.id"],
            name=op.f("fk_indicator_target_dimension_id_dimension"),
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_target_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_target")),
    )
    with op.batch_alter_table("indicator_target", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_target_indicator_id"), ["indicator_id"], unique=False
        )

    op.create_table(
        "node",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("programme_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=True),
        sa.Column("parent_id", sa.String(length=120), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("target_group", sa.Text(), nullable=True),
        sa.Column("target_group_en", sa.Text(), nullable=True),
        sa.Column("age_min", sa.Integer(), nullable=True),
        sa.Column("age_max", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["node.id"], name=op.f("fk_node_parent_id_node")),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_node_programme_id_programme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_node")),
    )
    with op.batch_alter_table("node", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_node_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_node_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "programme_node_kind",
        sa.Column("programme_id", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_node_kind_programme_id_programme"),
        ),
        sa.PrimaryKeyConstraint("programme_id", "kind", name=op.f("pk_programme_node_kind")),
    )
    op.create_table(
        "programme_section",
        sa.Column("programme_id", sa.String(length=120), nullable=False),
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_section_programme_id_programme"),
        ),
        sa.PrimaryKeyConstraint("programme_id", "id", name=op.f("pk_programme_section")),
    )
    op.create_table(
        "subgroup",
        sa.Column("dimension_id", sa.String(length=120), nullable=False),
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=True),
        sa.Column("subgroup_order", sa.Integer(), nullable=True),
        sa.Column("reference", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dimension_id"],
            ["dimension.id"],
            name=op.f("fk_subgroup_dimension_id_dimension"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dimension_id", "id", name=op.f("pk_subgroup")),
    )
    op.create_table(
        "initiative",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("programme_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("owner_id", sa.String(length=120), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("target_group", sa.Text(), nullable=True),
        sa.Column("target_group_en", sa.Text(), nullable=True),
        sa.Column("age_min", sa.Integer(), nullable=True),
        sa.Column("age_max", sa.Integer(), nullable=True),
        sa.Column("budget_amount_sek", sa.BigInteger(), nullable=True),
        sa.Column("budget_funder_id", sa.String(length=120), nullable=True),
        sa.Column("budget_funder_text", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["budget_funder_id"], ["actor.id"], name=op.f("fk_initiative_budget_funder_id_actor")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["actor.id"], name=op.f("fk_initiative_owner_id_actor")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_initiative_programme_id_programme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative")),
    )
    with op.batch_alter_table("initiative", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_initiative_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "node_indicator",
        sa.Column("node_id", sa.String(length=120), nullable=False),
        sa.Column("indicator_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_id"], ["node.id"], name=op.f("fk_node_indicator_node_id_node")
        ),
        sa.PrimaryKeyConstraint("node_id", "indicator_id", name=op.f("pk_node_indicator")),
    )
    with op.batch_alter_table("node_indicator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_node_indicator_indicator_id"), ["indicator_id"], unique=False
        )

    op.create_table(
        "observation",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("indicator_id", sa.String(length=120), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("area_id", sa.String(length=120), nullable=False),
        sa.Column("dimension_id", sa.String(length=120), nullable=False),
        sa.Column("subgroup_id", sa.String(length=120), nullable=False),
        sa.Column("estimate", sa.Float(), nullable=True),
        sa.Column("se", sa.Float(), nullable=True),
        sa.Column("ci_lb", sa.Float(), nullable=True),
        sa.Column("ci_ub", sa.Float(), nullable=True),
        sa.Column("population", sa.Float(), nullable=True),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("flag", sa.String(length=40), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("setting_average", sa.Float(), nullable=True),
        sa.Column(
            "import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], name=op.f("fk_observation_area_id_area")),
        sa.ForeignKeyConstraint(
            ["dimension_id", "subgroup_id"],
            ["subgroup.dimension_id", "subgroup.id"],
            name="fk_observation_subgroup",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["import_record.id"], name=op.f("fk_observation_import_id_import_record")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"], ["indicator.id"], name=op.f("fk_observation_indicator_id_indicator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation")),
        sa.UniqueConstraint(
            "indicator_id",
            "period",
            "area_id",
            "dimension_id",
            "subgroup_id",
            name="uq_observation_key",
        ),
    )
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index("ix_observation_area", ["area_id", "period"], unique=False)
        batch_op.create_index("ix_observation_dimension", ["dimension_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_observation_import_id"), ["import_id"], unique=False)

    op.create_table(
        "programme_section_item",
        sa.Column("programme_id", sa.String(length=120), nullable=False),
        sa.Column("section_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["programme_id", "section_id"],
            ["programme_section.programme_id", "programme_section.id"],
            name="fk_programme_section_item_section",
        ),
        sa.PrimaryKeyConstraint(
            "programme_id", "section_id", "position", name=op.f("pk_programme_section_item")
        ),
    )
    op.create_table(
        "initiative_area",
        sa.Column("initiative_id", sa.String(length=120), nullable=False),
        sa.Column("area_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_initiative_area_initiative_id_initiative"),
        ),
        sa.PrimaryKeyConstraint("initiative_id", "area_id", name=op.f("pk_initiative_area")),
    )
    with op.batch_alter_table("initiative_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_initiative_area_area_id"), ["area_id"], unique=False)

    op.create_table(
        "initiative_indicator",
        sa.Column("initiative_id", sa.String(length=120), nullable=False),
        sa.Column("indicator_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_initiative_indicator_initiative_id_initiative"),
        ),
        sa.PrimaryKeyConstraint(
            "initiative_id", "indicator_id", name=op.f("pk_initiative_indicator")
        ),
    )
    with op.batch_alter_table("initiative_indicator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_initiative_indicator_indicator_id"), ["indicator_id"], unique=False
        )

    op.create_table(
        "initiative_node",
        sa.Column("initiative_id", sa.String(length=120), nullable=False),
        sa.Column("node_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_initiative_node_initiative_id_initiative"),
        ),
        sa.ForeignKeyConstraint(
            ["node_id"], ["node.id"], name=op.f("fk_initiative_node_node_id_node")
        ),
        sa.PrimaryKeyConstraint("initiative_id", "node_id", name=op.f("pk_initiative_node")),
    )
    with op.batch_alter_table("initiative_node", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_initiative_node_node_id"), ["node_id"], unique=False)

    op.create_table(
        "initiative_partner",
        sa.Column("initiative_id", sa.String(length=120), nullable=False),
        sa.Column("actor_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actor.id"], name=op.f("fk_initiative_partner_actor_id_actor")
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_initiative_partner_initiative_id_initiative"),
        ),
        sa.PrimaryKeyConstraint("initiative_id", "actor_id", name=op.f("pk_initiative_partner")),
    )
    op.create_table(
        "reach",
        sa.Column("initiative_id", sa.String(length=120), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("area_id", sa.String(length=120), nullable=False),
        sa.Column("dimension_id", sa.String(length=120), nullable=False),
        sa.Column("subgroup_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("reached", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiative.id"], name=op.f("fk_reach_initiative_id_initiative")
        ),
        sa.PrimaryKeyConstraint(
            "initiative_id",
            "period",
            "area_id",
            "dimension_id",
            "subgroup_id",
            name=op.f("pk_reach"),
        ),
    )


def downgrade() -> None:
    op.drop_table("reach")
    op.drop_table("initiative_partner")
    with op.batch_alter_table("initiative_node", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_initiative_node_node_id"))

    op.drop_table("initiative_node")
    with op.batch_alter_table("initiative_indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_initiative_indicator_indicator_id"))

    op.drop_table("initiative_indicator")
    with op.batch_alter_table("initiative_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_initiative_area_area_id"))

    op.drop_table("initiative_area")
    op.drop_table("programme_section_item")
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observation_import_id"))
        batch_op.drop_index("ix_observation_dimension")
        batch_op.drop_index("ix_observation_area")

    op.drop_table("observation")
    with op.batch_alter_table("node_indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_node_indicator_indicator_id"))

    op.drop_table("node_indicator")
    with op.batch_alter_table("initiative", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_initiative_programme_id"))

    op.drop_table("initiative")
    op.drop_table("subgroup")
    op.drop_table("programme_section")
    op.drop_table("programme_node_kind")
    with op.batch_alter_table("node", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_node_programme_id"))
        batch_op.drop_index(batch_op.f("ix_node_parent_id"))

    op.drop_table("node")
    with op.batch_alter_table("indicator_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_target_indicator_id"))

    op.drop_table("indicator_target")
    with op.batch_alter_table("actor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actor_programme_id"))

    op.drop_table("actor")
    op.drop_table("programme")
    op.drop_table("indicator")
    with op.batch_alter_table("import_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_record_checksum"))

    op.drop_table("import_record")
    op.drop_table("dimension")
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_area_parent_id"))

    op.drop_table("area")
