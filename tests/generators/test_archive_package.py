"""Archive packages: pack a batch, validate the bag with bagit's own validator, flip a byte and see exactly
that file named, restore into an empty store and find the trainee again; the command line."""

from __future__ import annotations

import json

import bagit
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from generators.archive.package import PackageProblem, pack_batch, verify_package
from intake.store.archive import ArchiveQuery, archive_batch, search_archive
from intake.store.audit import verify_chain
from intake.store.db import open_store
from intake.store.models import ArchivedBatch, ArchiveEvent, Claim, Correction, Decision, Upload
from service.cli import main
from tests.intake.store.archive_data import BATCH, INSTITUTION, make_batch, trainee
from tests.policy import POLICY


@pytest.fixture
def source(tmp_path, monkeypatch):
    """A SQLite store with the batch archived and a reviewer's correction of an ID number (sealed)."""
    monkeypatch.delenv("SUBSIDY_DATABASE_URL", raising=False)
    monkeypatch.delenv("SUBSIDY_KEY", raising=False)
    opened = open_store(tmp_path / "source", f"sqlite:///{tmp_path / 'source' / 'subsidy.db'}")
    make_batch(opened, tmp_path / "scans")
    with opened.session() as session:
        claim = session.scalar(select(Claim).order_by(Claim.id))
        cipher = opened.cipher
        session.add(Correction(claim_id=claim.id, trainee_id=claim.trainee_id, field="id_number", sealed=True,
                               old_value=cipher.seal_text("371602199003070000", "correction.id_number"),
                               new_value=cipher.seal_text(trainee(0)["id_number"], "correction.id_number"),
                               who="reviewer", why="校验位不符"))
        archive_batch(session, BATCH, "archivist", policy=POLICY)
        session.commit()
    yield opened
    opened.close()


@pytest.fixture
def package(source, tmp_path):
    with source.session() as session:
        result = pack_batch(session, source.data_dir, BATCH, tmp_path / "packages", "archivist", pdf=False,
                            policy=POLICY)
        session.commit()
    return result


def test_pack_writes_a_valid_bag_that_reads_without_the_software(package):
    bag = bagit.Bag(str(package.path))
    bag.validate(processes=1)  # the library's own validator, every checksum
    assert bag.algorithms == ["sha256"]
    assert bag.info["Batch"] == BATCH and bag.info["Institution"] == INSTITUTION and bag.info["Quarter"] == "2020Q2"
    assert bag.info["Retain-Until"] and bag.info["Archived-At"]
    data = package.path / "data"
    names = {p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()}
    assert {"README.txt", "originals/page1.png", "originals/page2.png", "records/claims.json",
            "records/decisions.json", "records/corrections.json", "index/index.json", "index/index.csv"} <= names
    assert any(n.startswith("pages/bundle-") and n.endswith("-roster.png") for n in names)
    assert any(n.startswith("bundles/") for n in names)
    assert any(n.startswith("documents/attachment1/") and n.endswith(".docx") for n in names), package.notes
    assert any(n.startswith("index/") and n.endswith(".xlsx") for n in names)
    bundle = json.loads(next((data / "bundles").glob("*.json")).read_text(encoding="utf-8"))
    assert bundle["schema"] == "bundle-result/1" and len(bundle["trainees"]) == 3
    index = (data / "index" / "index.json").read_text(encoding="utf-8")
    assert trainee(0)["id_number"] not in index and trainee(0)["phone"] not in index
    corrections = json.loads((data / "records" / "corrections.json").read_text(encoding="utf-8"))
    assert corrections[0]["new_value"] == trainee(0)["id_number"] and corrections[0]["chain_hash"]
    readme = (data / "README.txt").read_text(encoding="utf-8")
    assert "BagIt" in readme and "sha256sum -c manifest-sha256.txt" in readme


def test_a_package_is_never_overwritten(source, package):
    with source.session() as session, pytest.raises(PackageProblem):
        pack_batch(session, source.data_dir, BATCH, package.path.parent, "archivist", pdf=False, policy=POLICY)


def test_verify_names_exactly_the_flipped_file_in_a_package(package):
    assert verify_package(package.path).problems == []
    target = package.path / "data" / "originals" / "page2.png"
    data = bytearray(target.read_bytes())
    data[100] ^= 0xFF
    target.write_bytes(bytes(data))
    problems = verify_package(package.path).problems
    assert len(problems) == 1 and str(target) in problems[0]
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(package.path)).validate(processes=1)


def test_restore_into_an_empty_store_finds_the_trainee_by_id_and_certificate(package, store, source):
    from generators.archive.restore import restore_package

    with store.session() as session:
        done = restore_package(session, store.data_dir, package.path, "archivist", policy=POLICY)
        session.commit()
        assert (done.batch, done.uploads, done.claims, done.corrections, done.entries) == (BATCH, 2, 3, 1, 3)
        first = trainee(0)
        for query in (ArchiveQuery(id_number=first["id_number"]), ArchiveQuery(certificate_no=first["certificate_no"]),
                      ArchiveQuery(text=first["id_number"])):
            assert [e.name for e in search_archive(session, query).entries] == ["张三"]
        assert [e.name for e in search_archive(session, ArchiveQuery(certificate_no="TS3716020200002")).entries] \
            == ["王五丰"]
        assert [p.page for p in search_archive(session, ArchiveQuery(fulltext="本年度未申领")).pages] == [2]
        with source.session() as old:
            kept = old.scalar(select(ArchivedBatch))
            assert session.scalar(select(ArchivedBatch)).retain_until == kept.retain_until
            assert session.query(Decision).count() == old.query(Decision).count()
        correction = session.scalar(select(Correction))
        assert store.cipher.open_text(correction.new_value, "correction.id_number") == first["id_number"]
        assert verify_chain(session) == []


def test_command_line(source, tmp_path):
    runner = CliRunner()
    data = ["--data", str(source.data_dir)]
    first = trainee(0)
    found = runner.invoke(main, [*data, "archive", "search", first["id_number"]])
    assert found.exit_code == 0, found.output
    assert "张三" in found.output and first["id_number"][:6] + "********" + first["id_number"][-4:] in found.output
    assert first["id_number"] not in found.output
    hidden = runner.invoke(main, [*data, "archive", "search", "--id", "-"], input=first["id_number"] + "\n")
    assert hidden.exit_code == 0 and "张三" in hidden.output
    assert runner.invoke(main, [*data, "archive", "search", "--text", "协议书"]).exit_code == 0
    packed = runner.invoke(main, [*data, "archive", "pack", "--batch", BATCH, "--out", str(tmp_path / "out"),
                                  "--no-pdf"])
    assert packed.exit_code == 0, packed.output
    bag = tmp_path / "out" / BATCH
    assert runner.invoke(main, [*data, "archive", "verify", str(tmp_path / "out")]).exit_code == 0
    (bag / "data" / "README.txt").write_text("changed", encoding="utf-8")
    failed = runner.invoke(main, [*data, "archive", "verify", str(bag)])
    assert failed.exit_code == 1 and "README.txt" in failed.output
    ledger = runner.invoke(main, [*data, "archive", "ledger", "--year", "2020", "--out", str(tmp_path / "ledger")])
    assert ledger.exit_code == 0 and (tmp_path / "ledger" / "存档台账_2020年.xlsx").exists()
    report = runner.invoke(main, [*data, "archive", "retention", "--months", "120"])
    assert report.exit_code == 0 and BATCH in report.output
    refused = runner.invoke(main, [*data, "archive", "dispose", "--batch", BATCH, "--by", "nobody", "--yes"])
    assert refused.exit_code == 2


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice not installed")
def test_pack_with_pdfa(source, tmp_path):
    with source.session() as session:
        result = pack_batch(session, source.data_dir, BATCH, tmp_path / "pdfa", "archivist", pdf=True, policy=POLICY)
        session.commit()
    pdfs = sorted((result.path / "data" / "documents").rglob("*.pdf"))
    assert pdfs, result.notes
    head = pdfs[0].read_bytes()
    assert head.startswith(b"%PDF") and b"pdfaid:part" in head  # PDF/A identification in the XMP metadata
    assert verify_package(result.path).problems == []


def test_command_line_disposal_by_an_admin_is_refused_before_the_date(source):
    from service.users import add_user

    with source.session() as session:
        add_user(session, "admin1", "admin", "correct horse battery")
        add_user(session, "clerk1", "clerk", "correct horse battery")
    runner = CliRunner()
    data = ["--data", str(source.data_dir)]
    clerk = runner.invoke(main, [*data, "archive", "dispose", "--batch", BATCH, "--by", "clerk1", "--yes"])
    assert clerk.exit_code == 2 and "管理员" in clerk.output
    refused = runner.invoke(main, [*data, "archive", "dispose", "--batch", BATCH, "--by", "admin1", "--yes"])
    assert refused.exit_code == 1 and "未到期不得销毁" in refused.output
    with source.session() as session:
        assert session.scalar(select(ArchiveEvent.who).where(ArchiveEvent.action == "dispose_refused")) == "admin1"
        assert all((source.data_dir / u.stored_path).exists()
                   for u in session.scalars(select(Upload)))
