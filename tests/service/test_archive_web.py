"""The archivist's web search reaches the archive index: retention date, page links, full text, masked IDs."""

from __future__ import annotations

from intake.store.archive import archive_batch
from intake.store.models import Batch, Page
from tests.service.fakes import FAKE_CERT, FAKE_ID, FAKE_NAME


def test_archive_search_shows_the_index_and_full_text(app, client_for, seeded):
    with app.state.store.session() as session:
        page = session.get(Page, seeded["page_id"])
        page.text_enc = app.state.store.cipher.seal("安全技能培训人员花名册 滨州测试培训学校", "page.text")
        batch = session.get(Batch, seeded["batch_id"])
        archive_batch(session, batch.name, "archivist")
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
