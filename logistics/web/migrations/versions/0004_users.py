"""Accounts, and who made each upload and run (unknown for the history made before accounts).

Revision ID: 0004_users
Revises: 0003_teams
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_users"
down_revision: str | None = "0003_teams"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the users table; uploads and runs name who made them."""
    op.create_table(
        "users",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("disabled", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(32), sa.ForeignKey("teams.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(), nullable=False),
    )
    for table in ("uploads", "runs"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("created_by", sa.String(32), nullable=True))
            batch.create_foreign_key(f"fk_{table}_created_by", "users", ["created_by"], ["id"])


def downgrade() -> None:
    """Drop the users table and who made uploads and runs."""
    for table in ("runs", "uploads"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_created_by", type_="foreignkey")
            batch.drop_column("created_by")
    op.drop_table("users")
