"""Server processes and their heartbeat; each run names the process that follows it.

Revision ID: 0010_servers
Revises: 0009_audit
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_servers"
down_revision: str | None = "0009_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the servers table; runs name their server."""
    op.create_table(
        "servers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
    )
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("server_id", sa.String(32), nullable=True))


def downgrade() -> None:
    """Drop the servers table and the runs' server."""
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("server_id")
    op.drop_table("servers")
