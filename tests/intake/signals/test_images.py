"""Marks compared through the store: one hand for three rows and one print pasted twice in an agreement, and
a certificate copy used again in a later batch, each found from the stored pages and flagged on both."""

import random

import cv2
import numpy as np
from sqlalchemy import func, select

from intake.result import BundleResult, DocumentResult, Evidence, PageResult, TraineeResult
from intake.store.bundles import apply_verdicts, save_bundle_result
from intake.store.models import ImageMark, Institution
from intake.store.uploads import store_upload
from tests.bundlegen.credit_codes import credit_code
from tests.intake.idgen import make_id, make_phone
from tests.intake.signals.marks_pages import card_line, one_hand, pressed, signed_by
from tests.policy import POLICY


def page_of(cells: list[np.ndarray]) -> tuple[np.ndarray, list[list[int]]]:
    """Cells stacked on one page; each cell's box on it."""
    width = max(c.shape[1] for c in cells)
    rows, boxes, y = [], [], 0
    for cell in cells:
        rows.append(cv2.copyMakeBorder(cell, 0, 0, 0, width - cell.shape[1], cv2.BORDER_CONSTANT,
                                       value=(246, 244, 238)))
        boxes.append([20, y + 20, cell.shape[1] - 20, y + cell.shape[0] - 20])
        y += cell.shape[0]
    return np.vstack(rows), boxes


def bundle(name: str, marks: list[tuple[str, np.ndarray]], numbers: list[int], tmp_path, store, session,
           card: tuple[np.ndarray, list[int]] | None = None, institution: str = "") -> tuple[BundleResult, int]:
    image, boxes = page_of([m for _, m in marks])
    path = tmp_path / f"{name}-agreement.png"
    cv2.imwrite(str(path), image)
    uploads = [store_upload(session, store.data_dir, path, "clerk")]
    pages = [PageResult(1, "agreement", 0, path.name)]
    if card is not None:
        card_path = tmp_path / f"{name}-card.png"
        cv2.imwrite(str(card_path), card[0])
        uploads.append(store_upload(session, store.data_dir, card_path, "clerk"))
        pages.append(PageResult(2, "certificate", 0, card_path.name))
    trainees = []
    for i, ((kind, _), n) in enumerate(zip(marks, numbers, strict=True)):
        evidence = [Evidence("agreement", 1, "signature", kind, "", 0.9, boxes[i], i)]
        t = TraineeResult(id_number=make_id(n), name=f"学员{n}", gender="男" if n % 2 else "女", phone=make_phone(n),
                          profession="低压电工作业", certificate_no=f"T{make_id(n)}",
                          training_date="2020-05-06/2020-05-20", signed=True, certificate_copy=True, evidence=evidence)
        trainees.append(t)
    documents = [DocumentResult("agreement", [1], True, {"institution": institution} if institution else {})]
    if card is not None:
        trainees[0].evidence.append(Evidence("certificate", 2, "certificate_no", "T", "T", 0.9, card[1], None))
        documents.append(DocumentResult("certificate", [2], None, {
            "certificate_kind": "special_operation", "name": trainees[0].name, "id_number": trainees[0].id_number,
            "certificate_no": trainees[0].certificate_no, "profession": "低压电工作业", "issue_date": "2020-05-30"}))
    data = BundleResult(f"{name}.png", pages=pages, documents=documents, trainees=trainees, engine="fake")
    saved = save_bundle_result(session, data, [u.id for u in uploads], name, policy=POLICY)
    apply_verdicts(data, saved)
    session.commit()
    return data, saved.bundle_id


def test_one_hand_and_one_pasted_print_in_an_agreement(store, session, tmp_path):
    marks = [("ink", one_hand(80, "刘清胜", s)[0]) for s in range(3)] + \
            [("ink", signed_by("李思建", 9)[0]), ("fingerprint", pressed(5, 1)[0]), ("fingerprint", pressed(5, 2)[0]),
             ("fingerprint", pressed(6, 3)[0])]
    data, _ = bundle("2020Q2-甲", marks, list(range(1, 8)), tmp_path, store, session)
    flags = [t.flags for t in data.trainees]
    assert flags == [["signature_same_hand"]] * 3 + [[], ["fingerprint_same_image"], ["fingerprint_same_image"], []]
    finding = data.trainees[4].findings[0]
    assert finding["evidence"]["other"]["name"] == "学员6" and finding["evidence"]["page"] == 1
    assert len(finding["evidence"]["box"]) == 4 and finding["evidence"]["likeness"] >= 0.6
    assert session.scalar(select(func.count()).select_from(ImageMark)) == 7


def test_a_certificate_copy_used_again_in_a_later_batch(store, session, tmp_path):
    number = make_id(1)
    first, _ = bundle("2020Q2-甲", [("ink", signed_by("学员", 1)[0])], [1], tmp_path, store, session,
                      card=card_line("T" + number, 1.0, 1))
    again, _ = bundle("2020Q4-甲", [("ink", signed_by("学员", 2)[0])], [1], tmp_path, store, session,
                      card=card_line("T" + number, 1.2, 2, quality=55))
    assert first.trainees[0].flags == []
    assert set(again.trainees[0].flags) == {"certificate_image_reused", "repeat_profession_within_year"}
    assert again.trainees[0].findings[0]["evidence"]["other"]["batch"] == "2020Q2-甲"


def test_pale_prints_the_reader_called_ink_are_compared_as_prints(store, session, tmp_path):
    """A pale print is pink, not red: the reader may call it ink, but it is compared as a print (ridges), not
    as a signature (where every print's oval looks like every other's)."""
    marks = [("ink", pressed(5, 1, light=True)[0]), ("ink", pressed(5, 2, light=True)[0]),
             ("ink", pressed(6, 3, light=True)[0]), ("ink", pressed(7, 4, light=True)[0])]
    data, _ = bundle("2020Q2-甲", marks, list(range(1, 5)), tmp_path, store, session)
    assert [t.flags for t in data.trainees] == [["fingerprint_same_image"], ["fingerprint_same_image"], [], []]


def test_a_trainee_signing_again_in_a_later_batch_is_not_one_hand_for_another(store, session, tmp_path):
    """The institution's earlier agreements are searched for the hand: a trainee's own signature in them is
    theirs; the same hand in another trainee's row is someone signing for that trainee."""
    session.add(Institution(name="滨州市甲安全培训中心", credit_code=credit_code(random.Random(1)), aliases=[]))
    session.commit()
    at = {"institution": "滨州市甲安全培训中心"}
    first, _ = bundle("2020Q2-甲", [("ink", one_hand(80, "刘清胜", 1)[0])], [1], tmp_path, store, session, **at)
    again, _ = bundle("2020Q4-甲", [("ink", one_hand(80, "刘清胜", 2)[0]), ("ink", signed_by("李思建", 9)[0])],
                      [1, 2], tmp_path, store, session, **at)
    other, _ = bundle("2021Q1-甲", [("ink", one_hand(80, "刘清胜", 3)[0])], [3], tmp_path, store, session, **at)
    assert not any("signature_same_hand" in t.flags for t in [*first.trainees, *again.trainees])
    assert "signature_same_hand" in other.trainees[0].flags  # another trainee: someone signed for them
