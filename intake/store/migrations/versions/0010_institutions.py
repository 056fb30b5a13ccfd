"""The institutions registry: credit codes and printed names, recognitions, disqualifications, and the
chained events of every change to them.

Institutions already stored (names a batch was given) stay as they are, outside the registry until an
import or an officer gives them their credit code.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _institution_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"],
                                   name=op.f(f"fk_{table}_institution_id_institutions"))


def upgrade() -> None:
    with op.batch_alter_table("institutions") as batch:
        batch.add_column(sa.Column("credit_code", sa.String(length=18), nullable=True))
        # Existing rows get an empty list; the model gives new ones theirs.
        batch.add_column(sa.Column("aliases", sa.JSON(), nullable=False, server_default="[]"))
        batch.create_unique_constraint(batch.f("uq_institutions_credit_code"), ["credit_code"])
    with op.batch_alter_table("institutions") as batch:
        batch.alter_column("aliases", server_default=None)
    op.create_table(
        "institution_recognitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("announcement_no", sa.String(length=100), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        _institution_fk("institution_recognitions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution_recognitions")),
        sa.UniqueConstraint("institution_id", "category", "department", "announcement_no", "valid_from",
                            name="uq_institution_recognitions_what"),
    )
    op.create_table(
        "institution_disqualifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("disqualified_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _institution_fk("institution_disqualifications"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution_disqualifications")),
        sa.UniqueConstraint("institution_id", "disqualified_on", name="uq_institution_disqualifications_day"),
    )
    op.create_table(
        "institution_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("who", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("chain_prev", sa.String(length=64), nullable=True),
        sa.Column("chain_hash", sa.String(length=64), nullable=True),
        _institution_fk("institution_events"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution_events")),
        sa.UniqueConstraint("chain_hash", name=op.f("uq_institution_events_chain_hash")),
        sa.UniqueConstraint("chain_prev", name=op.f("uq_institution_events_chain_prev")),
    )
    for table in ("institution_recognitions", "institution_disqualifications", "institution_events"):
        with op.batch_alter_table(table) as batch:
            batch.create_index(batch.f(f"ix_{table}_institution_id"), ["institution_id"], unique=False)


def downgrade() -> None:
    for table in ("institution_events", "institution_disqualifications", "institution_recognitions"):
        op.drop_table(table)
    with op.batch_alter_table("institutions") as batch:
        batch.drop_constraint(batch.f("uq_institutions_credit_code"), type_="unique")
        batch.drop_column("aliases")
        batch.drop_column("credit_code")
