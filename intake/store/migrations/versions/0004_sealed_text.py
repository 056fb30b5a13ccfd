"""Page text sealed, personal values inside the bundles' documents sealed, problems masked.

Existing rows are converted with the store's key, which open_store hands to the migration
(config.attributes["cipher"]): no plaintext is left behind in the new columns. The archive's full-text
rows made from the old masked text stay until the batch is indexed again (archive add, or a key rotation).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 12:00:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import context, op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _cipher():  # type: ignore[no-untyped-def]
    cipher = context.config.attributes.get("cipher")
    if cipher is None:
        raise RuntimeError("migration 0004 seals existing rows: run it through intake.store.db.open_store")
    return cipher


def upgrade() -> None:
    from intake.store.personal import mask_numbers, seal_personal

    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_enc", sa.LargeBinary(), nullable=True))
    connection = op.get_bind()
    pages = sa.table("pages", sa.column("id", sa.Integer), sa.column("text", sa.Text),
                     sa.column("text_enc", sa.LargeBinary))
    rows = connection.execute(sa.select(pages.c.id, pages.c.text).where(pages.c.text.is_not(None))).all()
    if rows:
        cipher = _cipher()
        for page_id, text in rows:
            connection.execute(pages.update().where(pages.c.id == page_id)
                               .values(text_enc=cipher.seal(text, "page.text")))
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_column("text")

    bundles = sa.table("bundles", sa.column("id", sa.Integer), sa.column("documents", sa.JSON),
                       sa.column("problems", sa.JSON))
    rows = connection.execute(sa.select(bundles.c.id, bundles.c.documents, bundles.c.problems)).all()
    for bundle_id, documents, problems in rows:
        documents = json.loads(documents) if isinstance(documents, str) else documents
        problems = json.loads(problems) if isinstance(problems, str) else problems
        connection.execute(bundles.update().where(bundles.c.id == bundle_id).values(
            documents=seal_personal(documents or [], _cipher(), "bundle.documents"),
            problems=[mask_numbers(str(p)) for p in problems or []]))


def downgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text", sa.Text(), nullable=True))
        batch_op.drop_column("text_enc")
