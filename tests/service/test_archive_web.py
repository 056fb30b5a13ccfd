"""The archivist's web search reaches the archive index: retention date, page links, full text, masked IDs."""

from __future__ import annotations

from intake.store.archive import archive_batch
from intake.store.models import Batch, Page
from tests.policy import POLICY
from tests.service.fakes import FAKE_CERT, FAKE_ID, FAKE_NAME


def test_archive_search_shows_the_index_and_full_text(app, client_for, seeded):
    with app.state.store.session() as session:
        page = session.get(Page, seeded["page_id"])
        page.text_enc = app.state.store.cipher.seal("安全技能培训人员花名册 滨州测试培训学校", "page.text")
        batch = session.get(Batch, seeded["batch_id"])
        archive_batch(session, batch.name, "archivist", policy=POLICY)
        session.commit()
    archivist = client_for("archivist")
    by_id = archivist.form("/archive", {"id_number": FAKE_ID})
    assert by_id.status_code == 200
    assert 'id="archive-index"' in by_id.text and FAKE_NAME in by_id.text and FAKE_ID not in by_id.text
    assert FAKE_ID[:6] + "********" + FAKE_ID[-4:] in by_id.text
    assert f'/pages/{seeded["page_id"]}' in by_id.text
    by_cert = archivist.form("/archive", {"certificate_no": FAKE_CERT})
    assert 'id="archive-index"' in by_cert.text and FAKE_NAME in by_cert.text
    text = archivist.form("/archive", {"fulltext": "培训人员"})
    assert 'id="fulltext-results"' in text.text and "花名册" in text.text
    short = archivist.form("/archive", {"fulltext": "花"})
    assert short.status_code == 200 and "两个汉字" in short.text


def test_the_archivist_archives_a_batch_in_the_web_app_and_finds_it_by_the_last_digits(app, client_for, seeded):
    archivist = client_for("archivist")
    listed = archivist.get("/archive/batches")
    assert listed.status_code == 200 and "测试批次" in listed.text and "未归档" in listed.text
    asked = archivist.form(f"/archive/batches/{seeded['batch_id']}/archive")
    assert asked.status_code == 200 and "确认归档" in asked.text
    before = archivist.get(f"/archive?id_suffix={FAKE_ID[-4:]}").text
    assert "存档索引中没有找到" in before  # nothing archived yet: the suffix index is empty
    done = archivist.form(f"/archive/batches/{seeded['batch_id']}/archive", {"confirmed": "1"})
    assert done.status_code == 303
    page = archivist.get(done.headers["location"]).text
    assert "已归档" in page and "保管期限至" in page and "北京时间" in page
    # A GET link: bookmarkable, the last 4 or 6 digits find the trainee through the keyed suffix index.
    for digits in (FAKE_ID[-4:], FAKE_ID[-6:]):
        found = archivist.get(f"/archive?id_suffix={digits}")
        assert found.status_code == 200 and FAKE_NAME in found.text and FAKE_ID not in found.text
    short = archivist.get("/archive?id_suffix=12")
    assert "最后 4 至 6 位" in short.text and "the last" not in short.text
    assert client_for("officer").form(f"/archive/batches/{seeded['batch_id']}/archive",
                                      {"confirmed": "1"}).status_code == 403


def test_the_archivist_downloads_the_package_and_runs_the_fixity_check(app, client_for, seeded, web_settings):
    import io
    import zipfile

    from intake.store.models import Upload

    archivist = client_for("archivist")
    package = archivist.form(f"/archive/batches/{seeded['batch_id']}/package")
    assert package.status_code == 200 and package.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(package.content)).namelist()
    assert any(n.endswith("bagit.txt") for n in names) and any("manifest-sha256.txt" in n for n in names)
    work = web_settings.data_dir / ".work"
    assert not any(work.rglob("*")) if work.exists() else True  # nothing of the package stays behind
    ok = archivist.form("/archive/verify")
    assert ok.status_code == 200 and 'id="verify-ok"' in ok.text
    with app.state.store.session() as session:
        upload = session.query(Upload).first()
        stored = web_settings.data_dir / upload.stored_path
    stored.write_bytes(stored.read_bytes() + b"x")
    bad = archivist.form("/archive/verify")
    assert 'id="verify-failed"' in bad.text and upload.stored_path in bad.text and "hash differs" not in bad.text
