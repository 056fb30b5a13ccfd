"""A batch's life: two more states (已审核 reviewed, 公示结束 publicity_ended) and its chained events.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

OLD = "status IN ('draft','submitted','publicised','approved','paid')"
NEW = "status IN ('draft','submitted','reviewed','publicised','publicity_ended','approved','paid')"


def upgrade() -> None:
    with op.batch_alter_table("batches") as batch:
        batch.drop_constraint(op.f("ck_batches_status"), type_="check")
        batch.create_check_constraint(op.f("ck_batches_status"), NEW)
    op.create_table(
        "batch_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("who", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("chain_prev", sa.String(length=64), nullable=True),
        sa.Column("chain_hash", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["batches.id"], name=op.f("fk_batch_events_batch_id_batches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_events")),
        sa.UniqueConstraint("chain_hash", name=op.f("uq_batch_events_chain_hash")),
        sa.UniqueConstraint("chain_prev", name=op.f("uq_batch_events_chain_prev")),
    )
    with op.batch_alter_table("batch_events") as batch:
        batch.create_index(batch.f("ix_batch_events_batch_id"), ["batch_id"], unique=False)


def downgrade() -> None:
    op.drop_table("batch_events")
    op.execute("UPDATE batches SET status = 'submitted' WHERE status = 'reviewed'")
    op.execute("UPDATE batches SET status = 'publicised' WHERE status = 'publicity_ended'")
    with op.batch_alter_table("batches") as batch:
        batch.drop_constraint(op.f("ck_batches_status"), type_="check")
        batch.create_check_constraint(op.f("ck_batches_status"), OLD)
