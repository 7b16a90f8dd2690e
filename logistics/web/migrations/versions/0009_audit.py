"""The audit trail, append-only: the database itself refuses to update or delete its lines.

Revision ID: 0009_audit
Revises: 0008_shares
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_audit"
down_revision: str | None = "0008_shares"
branch_labels = None
depends_on = None

REFUSAL = "the audit trail is append-only"
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER audit_no_{change} BEFORE {change.upper()} ON audit "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    for change in ("update", "delete")
]
POSTGRESQL_TRIGGERS = [
    "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$",
    "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()",
]


def upgrade() -> None:
    """Create the audit table and the triggers that keep it append-only."""
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("mission_id", sa.String(32), nullable=True),
        sa.Column("object_kind", sa.String(16), nullable=False),
        sa.Column("object_id", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    dialect = op.get_bind().dialect.name
    triggers = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(dialect, [])
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    """Drop the audit table (and its triggers with it)."""
    op.drop_table("audit")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_append_only()")
