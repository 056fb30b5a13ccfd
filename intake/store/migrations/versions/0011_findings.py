"""Findings (the registry's and the signals' flags with their evidence), and who claims: the institution of
each bundle and claim, indexed for the cross-batch checks. Stored claims take their batch's institution.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("other_claim_id", sa.Integer(), nullable=True),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_findings_claim_id_claims")),
        sa.ForeignKeyConstraint(["other_claim_id"], ["claims.id"], name=op.f("fk_findings_other_claim_id_claims")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    with op.batch_alter_table("findings") as batch:
        for column in ("claim_id", "code", "other_claim_id"):
            batch.create_index(batch.f(f"ix_findings_{column}"), [column], unique=False)
    for table in ("bundles", "claims"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("institution_id", sa.Integer(), nullable=True))
            batch.create_index(batch.f(f"ix_{table}_institution_id"), ["institution_id"], unique=False)
            batch.create_foreign_key(batch.f(f"fk_{table}_institution_id_institutions"), "institutions",
                                     ["institution_id"], ["id"])
    op.execute("UPDATE claims SET institution_id = (SELECT batches.institution_id FROM batches "
               "WHERE batches.id = claims.batch_id)")


def downgrade() -> None:
    for table in ("claims", "bundles"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(batch.f(f"fk_{table}_institution_id_institutions"), type_="foreignkey")
            batch.drop_index(batch.f(f"ix_{table}_institution_id"))
            batch.drop_column("institution_id")
    op.drop_table("findings")
