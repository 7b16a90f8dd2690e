"""Sign-in attempts, for throttling by account and by address.

Revision ID: 0007_login_attempts
Revises: 0006_sessions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_login_attempts"
down_revision: str | None = "0006_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the login_attempts table."""
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("succeeded", sa.Integer(), nullable=False),
    )
    op.create_index("ix_login_attempts_at", "login_attempts", ["at"])


def downgrade() -> None:
    """Drop the login_attempts table."""
    op.drop_index("ix_login_attempts_at", "login_attempts")
    op.drop_table("login_attempts")
