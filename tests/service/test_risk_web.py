"""Risk per institution in the web app: officer and reviewer only; quarters, findings' counts and trend,
drill-down with the crops both places show, the claims before a disqualification, an Excel export."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import select

from intake.store import institutions as registry
from intake.store.models import Finding, Institution
from intake.store.registry import get_batch
from service.settings import ROLES
from tests.intake.institutions.registry_files import code
from tests.intake.signals.marks_pages import pressed, signed_by
from tests.intake.signals.test_images import bundle

SCHOOL = "滨州市鲁北职业培训学校"


@pytest.fixture
def flagged(app, tmp_path):
    """Two batches of one registered institution: a pasted fingerprint in the first, then disqualified."""
    store = app.state.store
    with store.session() as session:
        institution, _ = registry.register(session, SCHOOL, code(1), "officer")
        registry.recognise(session, institution, "特种作业", "滨州市应急管理局", "滨应急字〔2019〕1号",
                           dt.date(2019, 1, 1), None, "officer")
        for name in ("2020Q2-鲁北", "2020Q3-鲁北"):
            get_batch(session, name, institution=SCHOOL)
        session.commit()
        marks = [("ink", signed_by("张三", 1)[0]), ("fingerprint", pressed(5, 1)[0]), ("fingerprint", pressed(5, 2)[0])]
        bundle("2020Q2-鲁北", marks, [1, 2, 3], tmp_path, store, session)
        bundle("2020Q3-鲁北", [("ink", signed_by("李四", 4)[0])], [4], tmp_path, store, session)
        institution = session.scalar(select(Institution).where(Institution.name == SCHOOL))
        registry.disqualify(session, institution, dt.date(2020, 8, 1), "培训记录弄虚作假", "officer")
        session.commit()
        return institution.id


@pytest.mark.parametrize("role", ROLES)
def test_only_officers_and_reviewers_see_risk(client_for, flagged, role):
    client = client_for(role)
    for path in ("/risk", f"/risk/{flagged}", f"/risk/{flagged}/export.xlsx"):
        status = client.get(path, follow_redirects=False).status_code
        assert (status == 200) == (role in ("officer", "reviewer")), (role, path, status)


def test_the_risk_view_counts_per_quarter_and_drills_down_to_the_crops(app, client_for, flagged):
    officer = client_for("officer")
    listing = officer.get("/risk").text
    assert SCHOOL in listing and "2020-08-01 起取消培训资格" in listing
    page = officer.get(f"/risk/{flagged}").text
    assert "2020Q2" in page and "手印为同一图像" in page  # the flag's words
    assert 'data-code="fingerprint_same_image"' in page and "<meter" in page
    assert "取消资格前的申领" in page  # the claims are dated 2020-06-01, before 2020-08-01
    drill = officer.get(f"/risk/{flagged}?code=fingerprint_same_image").text
    assert drill.count('class="finding"') == 2 and "/mine.png" in drill and "/other.png" in drill
    with app.state.store.session() as session:
        finding_id = session.scalar(select(Finding.id).where(Finding.code == "fingerprint_same_image"))
    for side in ("mine", "other"):
        crop = officer.get(f"/risk/findings/{finding_id}/{side}.png")
        assert crop.status_code == 200 and crop.content[:4] == b"\x89PNG"
    assert officer.get(f"/risk/findings/{finding_id}/elsewhere.png").status_code == 404
    assert officer.get(f"/risk/{flagged}?code=phone_shared").status_code == 404


def test_the_export_is_a_workbook_of_the_same_figures(client_for, flagged):
    response = client_for("reviewer").get(f"/risk/{flagged}/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按季度", "风险信号", "取消资格前的申领"]
    quarters = list(book["按季度"].iter_rows(min_row=3, values_only=True))
    # Both classes ended in May: both batches' claims are the second quarter's (the papers' dates decide).
    assert [q[:6] for q in quarters] == [("2020Q2", 2, 4, 4, 4000, 2)]
    signals = list(book["风险信号"].iter_rows(min_row=2, values_only=True))
    assert len(signals) == 2 and all(row[3] == "手印为同一图像" for row in signals)


def test_the_reviewer_and_the_officer_see_a_claims_findings_beside_it(app, client_for, flagged):
    from intake.store.models import Claim

    with app.state.store.session() as session:
        finding = session.scalar(select(Finding).where(Finding.code == "fingerprint_same_image"))
        claim = session.get(Claim, finding.claim_id)
    reviewer = client_for("reviewer")
    form = reviewer.get(f"/review/claims/{claim.id}").text
    assert 'id="claim-findings"' in form and "手印与学员" in form and f"/risk/findings/{finding.id}/mine.png" in form
    view = client_for("officer").get(f"/batches/{claim.batch_id}/claims/{claim.id}").text
    assert 'id="claim-findings"' in view and f"/risk/findings/{finding.id}/other.png" in view
    archivist = client_for("archivist").get(f"/batches/{claim.batch_id}/claims/{claim.id}").text
    assert 'id="claim-findings"' in archivist and "/risk/findings/" not in archivist  # words, not the crops
