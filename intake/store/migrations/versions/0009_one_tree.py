"""One migration tree for the whole database: the service's tables (users, jobs, publicity, review, sessions)
had a history of their own (revisions s0001-s0003, version table service_alembic_version); those revisions
now sit in this tree under the same ids, and this revision joins the two lines into one head. Nothing
changes in the tables: a database made before is adopted by intake.store.db (its service version row moved
into alembic_version) and then upgraded through here; a new one gets both lines, then this.

Revision ID: 0009
Revises: 0008, s0003
Create Date: 2026-12-05 10:00:00
"""

from __future__ import annotations

revision = "0009"
down_revision = ("0008", "s0003")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
