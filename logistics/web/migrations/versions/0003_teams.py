"""Teams of a mission that plans are shared with.

Revision ID: 0003_teams
Revises: 0002_missions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_teams"
down_revision: str | None = "0002_missions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the teams table."""
    op.create_table(
        "teams",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("mission_id", sa.String(32), sa.ForeignKey("missions.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("mission_id", "name"),
    )


def downgrade() -> None:
    """Drop the teams table."""
    op.drop_table("teams")
