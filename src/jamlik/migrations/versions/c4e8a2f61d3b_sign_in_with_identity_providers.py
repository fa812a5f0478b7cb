"""sign in with identity providers

Accounts made by an OpenID Connect or SAML identity provider (issue 17): `user_account` gains
the provider, issuer and subject that identify the person there, and the organisation and
groups it last reported; `login_session.method` says how each session signed in;
`sso_request` holds sign-ins sent to a provider and not yet answered (state, nonce, PKCE
verifier, SAML request id); `saml_assertion` the assertions already used, so a replay is
refused. Existing accounts are local (source NULL): nothing changes for them.

Revision ID: c4e8a2f61d3b
Revises: c4e8a2f1d6b3
Create Date: 2026-12-07 23:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4e8a2f61d3b"
down_revision: str | None = "c4e8a2f1d6b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("user_account", sa.Column("source", sa.String(length=80), nullable=True))
    op.add_column(
        "user_account", sa.Column("external_issuer", sa.String(length=300), nullable=True)
    )
    op.add_column(
        "user_account", sa.Column("external_subject", sa.String(length=300), nullable=True)
    )
    op.add_column("user_account", sa.Column("organisation", sa.String(length=200), nullable=True))
    op.add_column("user_account", sa.Column("groups", sa.Text(), nullable=True))
    op.create_index(
        "ix_user_account_external",
        "user_account",
        ["external_issuer", "external_subject"],
        unique=True,
    )
    op.add_column("login_session", sa.Column("method", sa.String(length=80), nullable=True))
    op.create_table(
        "sso_request",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("provider", sa.String(length=80), nullable=False),
        sa.Column("nonce", sa.String(length=128), nullable=True),
        sa.Column("verifier", sa.String(length=128), nullable=True),
        sa.Column("next_path", sa.String(length=500), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_request")),
    )
    op.create_index(op.f("ix_sso_request_created_at"), "sso_request", ["created_at"])
    op.create_table(
        "saml_assertion",
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("assertion_id", sa.String(length=255), nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("issuer", "assertion_id", name=op.f("pk_saml_assertion")),
    )
    op.create_index(op.f("ix_saml_assertion_expires_at"), "saml_assertion", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_saml_assertion_expires_at"), table_name="saml_assertion")
    op.drop_table("saml_assertion")
    op.drop_index(op.f("ix_sso_request_created_at"), table_name="sso_request")
    op.drop_table("sso_request")
    with op.batch_alter_table("login_session") as batch:
        batch.drop_column("method")
    op.drop_index("ix_user_account_external", table_name="user_account")
    with op.batch_alter_table("user_account") as batch:
        for column in ("groups", "organisation", "external_subject", "external_issuer", "source"):
            batch.drop_column(column)
