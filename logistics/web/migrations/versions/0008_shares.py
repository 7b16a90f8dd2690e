"""Plans shared with teams, optionally as read-only links, with their hidden sheets.

Revision ID: 0008_shares
Revises: 0007_login_attempts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_shares"
down_revision: str | None = "0007_login_attempts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the shares table."""
    op.create_table(
        "shares",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("run_id", sa.String(32), sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("mission_id", sa.String(32), sa.ForeignKey("missions.id"), nullable=False),
        sa.Column("team_id", sa.String(32), sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("created_by", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("link_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("hidden_sheets_json", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    """Drop the shares table."""
    op.drop_table("shares")
