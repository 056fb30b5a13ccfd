"""Migration 0007 on a store made before it: batches keep their states, the two new states are accepted,
a state outside the life is still refused by the database, and batch events are chained."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from intake.store.audit import verify_chain
from intake.store.db import alembic_config, make_engine, open_store
from intake.store.models import Batch, BatchEvent


def test_an_old_store_is_upgraded_with_its_batches(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    command.upgrade(alembic_config(engine), "0006")
    with engine.begin() as c:
        c.execute(text("INSERT INTO batches (name, status, created_at) VALUES ('旧批次', 'publicised', '2020-10-01')"))
    engine.dispose()
    store = open_store(tmp_path / "data", url)
    with store.session() as session:
        batch = session.query(Batch).one()
        assert batch.status == "publicised"
        batch.status = "publicity_ended"
        session.add(BatchEvent(batch_id=batch.id, action="advance", from_status="publicised",
                               to_status="publicity_ended", who="officer"))
        session.commit()
        assert verify_chain(session) == []
    with pytest.raises(IntegrityError), store.engine.begin() as c:
        c.execute(text("UPDATE batches SET status = 'done'"))
    store.close()
