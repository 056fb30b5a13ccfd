"""`subsidy key rotate`: every sealed value and keyed hash moves to the new key, in a job that resumes after
an interruption; the old key is refused afterwards, look-ups and the audit chain still hold."""

from __future__ import annotations

import stat

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from generators.archive.documents import keep_documents
from intake.ledger import import_ledger
from intake.store.archive import ArchiveQuery, archive_batch, search_archive, verify_stored
from intake.store.audit import verify_chain
from intake.store.db import open_store
from intake.store.keys import KEY_ENV, KeyProblem, read_key_file
from intake.store.models import Certificate, Correction, PriorClaim, Trainee
from intake.store.registry import find_certificate, phone_of, reveal_id_number, trainee_by_id_number
from service import key_rotation
from service.cli import main
from service.key_rotation import rotate
from service.models import ReviewFile
from service.review.evidence import keep_evidence, reading_of
from tests.intake.conftest import db_url  # noqa: F401  (the store on SQLite and on PostgreSQL)
from tests.intake.idgen import make_id, make_phone
from tests.intake.store.archive_data import BATCH, bundle_result, make_batch
from tests.policy import POLICY


@pytest.fixture
def data(tmp_path, monkeypatch, db_url):  # noqa: F811  (the fixture imported above)
    """A store with a little of everything that is sealed or keyed; SQLite, and PostgreSQL when available
    (the commands find it through SUBSIDY_DATABASE_URL)."""
    if db_url.startswith("postgresql"):
        monkeypatch.setenv("SUBSIDY_DATABASE_URL", db_url)
    folder = tmp_path / "data"
    store = open_store(folder)
    make_batch(store, tmp_path / "scans")
    ledger = tmp_path / "台账.csv"
    ledger.write_text(f"身份证号,姓名,专业（工种）,申领日期,证书编号\n{make_id(11)},张三,叉车司机,2020-01-02,T{make_id(11)}\n",
                      encoding="utf-8")
    with store.session() as session:
        from intake.store.bundles import SavedBundle
        from intake.store.models import Claim

        claims = list(session.scalars(select(Claim).order_by(Claim.id)))
        saved = SavedBundle(claims[0].bundle_id, BATCH, [c.id for c in claims], [([], True)] * len(claims))
        keep_evidence(session, saved, bundle_result())
        import_ledger(session, ledger)
        cipher = store.cipher
        session.add(Correction(claim_id=claims[0].id, field="phone", sealed=True, who="reviewer", why="OCR",
                               old_value=cipher.seal_text(make_phone(99), "correction.phone"),
                               new_value=cipher.seal_text(make_phone(11), "correction.phone")))
        record = archive_batch(session, BATCH, "archivist", policy=POLICY)
        keep_documents(session, store.data_dir, record, "archivist", pdf=False, policy=POLICY)
        session.commit()
    store.close()
    return folder


def check_all_under_the_new_key(folder):
    store = open_store(folder)
    try:
        with store.session() as session:
            assert verify_chain(session) == []
            trainee = trainee_by_id_number(session, make_id(11))
            assert trainee is not None and trainee.name == "张三"
            assert reveal_id_number(session, trainee, "test", "rotation") == make_id(11)
            assert phone_of(session, trainee) == make_phone(11)
            assert find_certificate(session, trainee, "低压电工作业", f"T{make_id(11)}") is not None
            for cert in session.scalars(select(Certificate)):
                store.cipher.open(cert.certificate_no_enc, "certificate.certificate_no")
            prior = session.scalar(select(PriorClaim))
            assert store.cipher.open(prior.id_number_enc, "prior_claim.id_number") == make_id(11)
            found = search_archive(session, ArchiveQuery(id_number=make_id(12)))
            assert [e.name for e in found.entries] == ["李四"]
            assert search_archive(session, ArchiveQuery(fulltext="花名册")).pages
            assert search_archive(session, ArchiveQuery(fulltext=make_id(13))).pages  # tokens under the new key
            from intake.store.bundles import bundle_documents
            from intake.store.models import Bundle
            docs = bundle_documents(session, session.scalar(select(Bundle)))
            assert docs[0]["fields"]["contact_phone"] == "0543-3161234"
            correction = session.scalar(select(Correction))
            assert store.cipher.open_text(correction.new_value, "correction.phone") == make_phone(11)
            from intake.store.models import Claim
            claim = session.scalar(select(Claim).order_by(Claim.id))
            assert reading_of(session, claim).witnesses
            assert session.scalar(select(ReviewFile)).evidence_enc
            assert verify_stored(session, folder)[2] == []  # the archived documents open under the new key
        with store.session() as session:
            again = import_ledger(session, folder.parent / "台账.csv")
            assert (again.imported, again.already) == (0, 1)  # the ledger row's keyed fingerprint moved too
            session.rollback()
    finally:
        store.close()


def test_rotation_moves_everything_and_the_old_key_is_refused(data, monkeypatch):
    old = read_key_file(data / "secret.key", "old")
    report = rotate(data)
    assert report.new_fingerprint != report.old_fingerprint
    assert report.rows["trainees"] == 3 and report.rows["prior_claims"] == 1
    check_all_under_the_new_key(data)
    retired = data / f"secret.key.old-{old.fingerprint[:16]}"
    assert retired.exists() and stat.S_IMODE(retired.stat().st_mode) == 0o600
    assert not (data / "secret.key.next").exists()
    monkeypatch.setenv(KEY_ENV, retired.read_text().strip())
    with pytest.raises(KeyProblem, match="密钥不符"):
        open_store(data)


def test_an_interrupted_rotation_resumes_and_nothing_else_runs_meanwhile(data, monkeypatch):
    monkeypatch.setattr(key_rotation, "CHUNK", 1)
    real = key_rotation.STEPS["certificates"]
    calls = []

    def dies_after_one_chunk(session, ciphers, after):
        calls.append(after)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the admin's Ctrl-C, or the machine going down
        return real(session, ciphers, after)

    monkeypatch.setitem(key_rotation.STEPS, "certificates", dies_after_one_chunk)
    with pytest.raises(KeyboardInterrupt):
        rotate(data)
    with pytest.raises(KeyProblem, match="轮换尚未完成"):
        open_store(data)
    refused = CliRunner().invoke(main, ["--data", str(data), "archive", "search", "张三"])
    assert refused.exit_code == 2 and "轮换尚未完成" in refused.output
    monkeypatch.setitem(key_rotation.STEPS, "certificates", real)
    done = CliRunner().invoke(main, ["--data", str(data), "key", "rotate"])
    assert done.exit_code == 0, done.output
    assert "续做" in done.output
    check_all_under_the_new_key(data)


def test_a_running_service_cannot_write_under_the_old_key_while_rotating(data, monkeypatch):
    service_store = open_store(data)  # opened before the rotation, like a running web service
    monkeypatch.setitem(key_rotation.STEPS, "trainees", lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        rotate(data)
    with service_store.session() as session:
        session.add(Trainee(id_hash="x" * 64, name="新学员"))
        with pytest.raises(KeyProblem, match="轮换进行中"):
            session.commit()
    service_store.close()


def test_a_new_key_given_from_a_file_takes_the_default_key_files_place(data, tmp_path):
    from intake.store.keys import encode, new_secret

    given = tmp_path / "kms-new.key"
    given.write_text(encode(new_secret()) + "\n")
    report = rotate(data, given)
    assert read_key_file(data / "secret.key", "now").fingerprint == report.new_fingerprint
    check_all_under_the_new_key(data)
