"""The officer's documents on the batch page and in the API: beside the generate buttons, who is left out
and why (masked); an entered date on the documents; the same rule as the generators."""

from __future__ import annotations

import io
import re

from docx import Document

from intake.store.bundles import save_bundle_result
from intake.store.uploads import store_upload
from tests.generators.conftest import bundle_result
from tests.intake.idgen import make_id
from tests.policy import POLICY
from tests.service.fakes import FAKE_NAME


def add_bundle(app, tmp_path, names=("李䶮", "王堃")) -> None:
    """Two more claims in the seeded batch: the first signed, the second without a signature."""
    result = bundle_result(names, t0={"signed": True, "flags": []}, t1={"flags": ["missing_signature"]})
    scan = tmp_path / "more.pdf"
    scan.write_bytes(b"%PDF-1.4 more")
    store = app.state.store
    with store.session() as session:
        upload = store_upload(session, store.data_dir, scan, "clerk")
        save_bundle_result(session, result, [upload.id], "测试批次", policy=POLICY)
        session.commit()


def test_the_batch_page_names_who_is_left_out_and_why(app, client_for, seeded, tmp_path):
    add_bundle(app, tmp_path)
    officer = client_for("officer")
    page = officer.get(f"/batches/{seeded['batch_id']}").text
    section = page[page.index('id="left-out"'):page.index("</section>", page.index('id="left-out"'))]
    assert re.search(r"以下 1 名学员不列入附件1–3和公示名单", section)
    assert "王堃" in section and "代领协议书未签字（手印或盖章）" in section and "不符合申领补贴条件" in section
    assert make_id(2, born="19810307") not in page and "371602********0025" in section
    assert "李䶮" not in section and FAKE_NAME not in section


def test_the_api_lists_the_left_out_and_generates_with_an_entered_date(app, client_for, seeded, tmp_path):
    add_bundle(app, tmp_path)
    officer = client_for("officer")
    listing = officer.get(f"/api/batches/{seeded['batch_id']}/documents").json()
    (left,) = listing["left_out"]
    assert left["name"] == "王堃" and left["state"] == "refused" and left["id_number"] == "371602********0025"
    assert any("代领协议书未签字" in r for r in left["reasons"])
    made = officer.post(f"/api/batches/{seeded['batch_id']}/documents",
                        json={"kind": "attachment3", "fill_date": "2020-07-01"}, headers={"X-CSRF-Token": officer.csrf})
    assert made.status_code == 200, made.text
    assert made.json()["left_out"] == listing["left_out"]
    name = next(f for f in made.json()["files"] if f.endswith(".docx"))
    docx = officer.get(f"/batches/{seeded['batch_id']}/documents/attachment3/{name}")
    text = "".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert text.endswith("2020年7月1日") and "共组织安全技能培训2人" in text


def test_the_page_form_takes_a_date_and_refuses_a_bad_one(app, client_for, seeded):
    officer = client_for("officer")
    bad = officer.form(f"/batches/{seeded['batch_id']}/documents", {"kind": "attachment1", "fill_date": "2020-13-01"})
    assert bad.status_code == 400 and "落款日期“2020-13-01”不是有效日期" in bad.text
    ok = officer.form(f"/batches/{seeded['batch_id']}/documents", {"kind": "attachment1", "fill_date": "2020-07-01"})
    assert ok.status_code == 303, ok.text


def test_the_officer_reads_each_trainees_reasons_and_opens_the_claim_read_only(app, client_for, seeded, tmp_path):
    add_bundle(app, tmp_path)
    officer = client_for("officer")
    page = officer.get(f"/batches/{seeded['batch_id']}").text
    table = page[page.index('id="trainees"'):page.index("</table>", page.index('id="trainees"'))]
    row = table[table.index("王堃"):]
    row = row[:row.index("</tr>")]
    assert "材料问题" in row and "代领协议书未签字（手印或盖章）" in row and "尚无审核结论" in row
    assert "<td>1</td>" in table and "<td>0</td>" not in table  # rows counted as on paper
    link = re.search(r'href="(/batches/\d+/claims/(\d+))">王堃', table)
    view = officer.get(link.group(1))
    assert view.status_code == 200 and "只读" in view.text and "371602********0025" in view.text
    assert make_id(2, born="19810307") not in view.text and "<form" not in view.text.split("<main>")[1]
    assert "材料问题" in view.text and "不通过" in view.text
    assert officer.get(f"/batches/{seeded['batch_id'] + 1}/claims/{link.group(2)}").status_code == 404
