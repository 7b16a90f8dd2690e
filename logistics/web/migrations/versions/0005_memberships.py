"""Which missions each user belongs to.

Revision ID: 0005_memberships
Revises: 0004_users
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_memberships"
down_revision: str | None = "0004_users"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the memberships table."""
    op.create_table(
        "memberships",
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("mission_id", sa.String(32), sa.ForeignKey("missions.id"), primary_key=True),
    )


def downgrade() -> None:
    """Drop the memberships table."""
    op.drop_table("memberships")
