"""The archive index, its search, retention and disposal, integrity of the originals, and the audit chain
(SQLite, and PostgreSQL when SUBSIDY_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text, update

from intake.store.archive import (
    ArchiveProblem,
    ArchiveQuery,
    DisposalRefused,
    archive_batch,
    dispose,
    retention_date,
    retention_report,
    search_archive,
    verify_stored,
)
from intake.store.archive_text import QueryTooShort, fts5_query, tokens
from intake.store.audit import AppendOnlyError, verify_chain
from intake.store.bundles import page_text
from intake.store.crypto import FieldCipher
from intake.store.keys import new_secret
from intake.store.models import ArchiveEvent, Claim, Correction, Decision, Page, Upload
from intake.store.personal import mask_numbers
from tests.intake.idgen import make_id, make_phone
from tests.intake.store.archive_data import BATCH, make_batch, trainee
from tests.policy import POLICY

ARCHIVED = dt.datetime(2021, 1, 15, 9, 30)


@pytest.fixture
def archived(store, tmp_path):
    make_batch(store, tmp_path / "scans")
    with store.session() as session:
        archive_batch(session, BATCH, "archivist", now=ARCHIVED, policy=POLICY)
        session.commit()
    return store


def test_masking_tokens_and_bigrams():
    number = make_id(11)
    assert mask_numbers(f"身份证 {number} 手机 {make_phone(11)} 证号 T{number}") == \
        f"身份证 {number[:6]}********{number[-4:]} 手机 138****0011 证号 T{number[:6]}********{number[-4:]}"
    token = FieldCipher(new_secret()).token
    assert tokens("低压电工 TS3716", token) == ["低压", "压电", "电工", "ts3716"]
    # a number is one keyed token in the index, whatever spaces OCR put into it, and no digit of it is left
    spaced = " ".join(number[i:i + 4] for i in range(0, 18, 4))
    assert tokens(f"1 张三 {number} {make_phone(11)}", token) == \
        ["1", "张三", token(number), token(make_phone(11))]
    assert tokens(f"证号T{spaced}", token) == ["证号", "t", token(number)]
    assert fts5_query("张三 电工", token) == '"张三" AND "电工"'
    with pytest.raises(QueryTooShort):
        fts5_query("张", token)


def test_index_finds_by_id_certificate_name_and_full_text(archived):
    first = trainee(0)
    with archived.session() as session:
        by_id = search_archive(session, ArchiveQuery(id_number=first["id_number"])).entries
        assert [e.name for e in by_id] == ["张三"]
        assert by_id[0].id_masked == first["id_number"][:6] + "********" + first["id_number"][-4:]
        assert by_id[0].retain_until == dt.date(2026, 1, 15) and by_id[0].year == 2020
        assert by_id[0].institution == "滨州市安全技术培训中心" and by_id[0].quarter == "2020Q2"
        assert by_id[0].pages and by_id[0].pages[0]["page"] == 1 and len(by_id[0].pages[0]["sha256"]) == 64
        # a special-operation 证号 is T + the ID number: either form finds it, through the keyed hash
        for number in (first["certificate_no"], first["id_number"]):
            assert [e.name for e in search_archive(session, ArchiveQuery(certificate_no=number)).entries] == ["张三"]
        assert [e.name for e in search_archive(session, ArchiveQuery(text=first["certificate_no"])).entries] == ["张三"]
        assert [e.name for e in search_archive(session, ArchiveQuery(text="TS3716020200002")).entries] == ["王五丰"]
        assert [e.name for e in search_archive(session, ArchiveQuery(text="王五")).entries] == ["王五丰"]
        assert len(search_archive(session, ArchiveQuery(text="2020Q2")).entries) == 3
        assert len(search_archive(session, ArchiveQuery(profession="叉车", year="2020")).entries) == 1
        pages = search_archive(session, ArchiveQuery(fulltext="本年度未申领")).pages
        assert [(p.page, p.kind) for p in pages] == [(2, "agreement")]
        assert [p.page for p in search_archive(session, ArchiveQuery(fulltext="宏达化工 花名册")).pages] == [1]
        assert search_archive(session, ArchiveQuery(fulltext="宏达电工")).pages == []
        # the full-text index holds the number as its keyed token: the number, in any spacing, finds the page
        number = first["id_number"]
        for query in (number, f"{number[:6]} {number[6:14]} {number[14:]}"):
            masked = search_archive(session, ArchiveQuery(fulltext=query)).pages
            assert [p.page for p in masked] == [1] and number not in masked[0].snippet
            assert number[:6] + "********" + number[-4:] in masked[0].snippet
        assert search_archive(session, ArchiveQuery(fulltext=number[:6])).pages == []


def test_index_finds_by_the_last_digits_through_keyed_hashes(archived):
    first = trainee(0)
    with archived.session() as session:
        for length in (4, 5, 6):
            found = search_archive(session, ArchiveQuery(id_suffix=first["id_number"][-length:])).entries
            assert [e.name for e in found] == ["张三"]
            found = search_archive(session, ArchiveQuery(phone_suffix=first["phone"][-length:])).entries
            assert [e.name for e in found] == ["张三"]
        # the last four of the phone are not the last four of an ID, and the other way round
        assert search_archive(session, ArchiveQuery(id_suffix=first["phone"][-4:])).entries == []
        both = ArchiveQuery(id_suffix=first["id_number"][-4:], profession="叉车")
        assert search_archive(session, both).entries == []
        for bad in ("12", "1234567", "12a4"):
            with pytest.raises(ArchiveProblem, match="4 至 6"):
                search_archive(session, ArchiveQuery(id_suffix=bad))
        suffixes = [row for (row,) in session.execute(text("SELECT hash FROM archive_suffixes"))]
        assert len(suffixes) == 3 * 6 and all(len(h) == 64 for h in suffixes)


def test_index_and_text_hold_no_plaintext_numbers(archived):
    secrets = [v for i in range(3) for v in (trainee(i)["id_number"], trainee(i)["phone"])]
    with archived.session() as session:
        dumps = []
        for table in ("archive_entries", "pages", "archive_fts", "archived_batches", "archive_events"):
            dumps += [str(tuple(row)) for row in session.execute(text(f"SELECT * FROM {table}"))]
    blob = "\n".join(dumps)
    assert "张三" in blob
    for secret in secrets:
        assert secret not in blob and secret[6:14] not in blob


def test_retention_report_and_disposal_refused_before_the_date(archived):
    with archived.session() as session:
        assert retention_date(dt.date(2020, 2, 29), 5) == dt.date(2025, 2, 28)
        assert retention_report(session, 12, today=dt.date(2024, 1, 1)) == []
        due = retention_report(session, 12, today=dt.date(2025, 6, 1))
        assert [(line.batch, line.retain_until, line.due, line.entries) for line in due] == \
            [(BATCH, dt.date(2026, 1, 15), False, 3)]
        with pytest.raises(DisposalRefused, match="2026-01-15"):
            dispose(session, archived.data_dir, BATCH, "admin", today=dt.date(2026, 1, 14))
        session.commit()
        refused = session.scalars(select(ArchiveEvent).where(ArchiveEvent.action == "dispose_refused")).all()
        assert [(e.batch, e.who) for e in refused] == [(BATCH, "admin")]
        paths = [archived.data_dir / u.stored_path for u in session.scalars(select(Upload))]
        assert all(p.exists() for p in paths)  # nothing deleted, automatically or otherwise

        done = dispose(session, archived.data_dir, BATCH, "admin", today=dt.date(2026, 1, 15), reason="期满")
        session.commit()
        assert len(done.files_removed) == 2 and done.trainees_shredded == 3 and done.entries_removed == 3
        assert not any(p.exists() for p in paths)
        assert search_archive(session, ArchiveQuery(id_number=trainee(0)["id_number"])).entries == []
        assert verify_stored(session, archived.data_dir)[2] == []  # disposed files are no longer expected
        assert verify_chain(session) == []  # decisions stay whole
        assert session.scalar(select(ArchiveEvent).where(ArchiveEvent.action == "dispose")).who == "admin"


def test_verify_names_exactly_the_changed_original(archived):
    with archived.session() as session:
        uploads = list(session.scalars(select(Upload).order_by(Upload.id)))
        assert verify_stored(session, archived.data_dir)[2] == []
        target = archived.data_dir / uploads[1].stored_path
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0x01
        target.chmod(0o644)
        target.write_bytes(bytes(data))
        checked, _, problems = verify_stored(session, archived.data_dir)
        assert checked == 2 and [p.path for p in problems] == [uploads[1].stored_path]
        assert "page2.png" in str(problems[0])


def test_decisions_and_corrections_are_append_only_and_chained(archived):
    with archived.session() as session:
        claim = session.scalar(select(Claim).order_by(Claim.id))
        session.add(Correction(claim_id=claim.id, trainee_id=claim.trainee_id, field="name", old_value="张山",
                               new_value="张三", who="reviewer", why="OCR 误读"))
        session.add(Correction(claim_id=claim.id, trainee_id=claim.trainee_id, field="gender", old_value="女",
                               new_value="男", who="reviewer", why="与身份证号不符"))
        session.commit()
        assert verify_chain(session) == []
        decisions = list(session.scalars(select(Decision).order_by(Decision.id)))
        assert decisions[0].chain_prev == "0" * 64
        assert all(d.chain_prev == p.chain_hash for p, d in zip(decisions, decisions[1:], strict=False))

        first = session.scalar(select(Correction).order_by(Correction.id))
        first.why = "改写历史"
        with pytest.raises(AppendOnlyError):
            session.flush()
        session.rollback()
        with pytest.raises(AppendOnlyError):
            session.execute(update(Correction).values(why="x"))
        session.rollback()
        session.delete(session.scalar(select(Decision)))
        with pytest.raises(AppendOnlyError):
            session.flush()
        session.rollback()

        # Behind the software's back: raw SQL edits one correction; the chain names exactly that row.
        session.execute(text("UPDATE corrections SET new_value = '李四' WHERE id = :i"), {"i": first.id})
        session.commit()
        problems = verify_chain(session)
        assert [(p.table, p.row_id) for p in problems] == [("corrections", first.id)]
        assert "改动" in str(problems[0])


def test_deleted_decision_breaks_the_chain(archived):
    with archived.session() as session:
        ids = list(session.scalars(select(Decision.id).order_by(Decision.id)))
        session.execute(text("DELETE FROM decisions WHERE id = :i"), {"i": ids[3]})
        session.commit()
        problems = verify_chain(session)
        assert [(p.table, p.row_id) for p in problems] == [("decisions", ids[4])]


def test_reindexing_keeps_the_retention_date(archived):
    with archived.session() as session:
        record = archive_batch(session, BATCH, "archivist", now=dt.datetime(2023, 1, 1), policy=POLICY)
        session.commit()
        assert record.archived_at == ARCHIVED and record.retain_until == dt.date(2026, 1, 15)
        first_page = session.scalar(select(Page).where(Page.number == 1))
        assert page_text(session, first_page).startswith("安全技能培训人员花名册")


def test_one_query_finds_the_same_claims_in_the_store_and_in_the_index(archived):
    """The pages, the API and the CLI ask one query type; over the store's claims (claim_filters) and over
    the archive index (search_archive) a number means the same: T + ID, the bare ID, spaced or lower-case."""
    from intake.store.archive import claim_filters
    from intake.store.models import Batch, Certificate, Institution, Trainee, TrainingClass

    first = trainee(0)
    claims = (select(Claim.id).join(Trainee, Claim.trainee_id == Trainee.id).join(Batch, Claim.batch_id == Batch.id)
              .outerjoin(Certificate, Claim.certificate_id == Certificate.id)
              .outerjoin(TrainingClass, Claim.class_id == TrainingClass.id)
              .outerjoin(Institution, Batch.institution_id == Institution.id))
    spaced = "t " + first["id_number"][:6] + " " + first["id_number"][6:].lower()
    with archived.session() as session:
        for number in (first["certificate_no"], first["id_number"], spaced):
            q = ArchiveQuery(certificate_no=number)
            in_store = session.scalars(claims.where(*claim_filters(session, q))).all()
            in_index = [e.claim_id for e in search_archive(session, q).entries]
            assert in_store == in_index and len(in_store) == 1, number
        assert claim_filters(session, ArchiveQuery(fulltext="花名册")) == []  # nothing of claims asked
