"""Every view of a full ID number in the audit chain: access_log gets chain_prev and chain_hash.

Rows already there are chained, in id order, by the first view logged after the upgrade (audit.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain_prev", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("chain_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_access_log_chain_prev"), ["chain_prev"])
        batch_op.create_unique_constraint(batch_op.f("uq_access_log_chain_hash"), ["chain_hash"])


def downgrade() -> None:
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_access_log_chain_hash"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_access_log_chain_prev"), type_="unique")
        batch_op.drop_column("chain_hash")
        batch_op.drop_column("chain_prev")
