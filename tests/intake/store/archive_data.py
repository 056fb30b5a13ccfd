"""A small archived batch for the archive's tests, stored through intake's own save_bundle_result from a
hand-made bundle-result/1 (no OCR): two photographed pages (PNG), three trainees, page OCR text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PIL import Image, ImageDraw

from intake.store.bundles import save_bundle_result
from intake.store.db import Store
from intake.store.registry import get_batch
from intake.store.uploads import store_upload
from tests.intake.idgen import make_id, make_phone
from tests.policy import POLICY

BATCH = "2020Q2-滨州安培"
INSTITUTION = "滨州市安全技术培训中心"
NAMES = ("张三", "李四", "王五丰")
CLAIM_DATE = dt.date(2020, 6, 1)
AGREEMENT_TEXT = "代领安全技能培训补贴协议书\n甲方：滨州市安全技术培训中心\n本人承诺本年度未申领同一工种补贴"


def trainee(i: int) -> dict:
    id_number = make_id(i + 11)
    electric = i < 2
    return {"id_number": id_number, "name": NAMES[i], "gender": "男" if (i + 11) % 2 else "女",
            "phone": make_phone(i + 11), "profession": "低压电工作业" if electric else "叉车司机",
            "certificate_no": f"T{id_number}" if electric else f"TS{3716020200000 + i}",
            "training_date": "2020-05-06/2020-05-20", "class_period": "2020年第3期" if electric else "2020年第4期",
            "signed": True, "certificate_copy": True, "flags": [],
            "evidence": [{"document": "roster", "page": 1, "row": i + 1, "field": "name", "value": NAMES[i],
                          "raw": NAMES[i], "confidence": 0.99, "box": [0, 0, 1, 1]}]}


def roster_text() -> str:
    rows = [f"{i + 1} {t['name']} {t['gender']} {t['id_number']} {t['phone']} {t['profession']} {t['certificate_no']}"
            for i, t in enumerate(trainee(i) for i in range(3))]
    return "安全技能培训人员花名册\n单位名称：滨州宏达化工有限公司\n培训机构：" + INSTITUTION + "\n" + "\n".join(rows)


def bundle_result() -> dict:
    return {"schema": "bundle-result/1", "source": "page1.png",
            "pages": [{"page": 1, "kind": "roster", "rotation": 0, "source": "page1.png", "text": roster_text()},
                      {"page": 2, "kind": "agreement", "rotation": 0, "source": "page2.png",
                       "text": AGREEMENT_TEXT}],
            "documents": [{"kind": "roster", "pages": [1], "stamp_present": True,
                           "fields": {"unit_name": "滨州宏达化工有限公司", "institution": INSTITUTION,
                                      "filled_by": "王芳", "contact_phone": "0543-3161234",
                                      "fill_date": "2020-06-01"}}],
            "trainees": [trainee(i) for i in range(3)]}


def page_image(path: Path, label: str) -> Path:
    image = Image.new("RGB", (300, 420), "white")
    ImageDraw.Draw(image).text((20, 20), label, fill="black")
    image.save(path)
    return path


def make_batch(store: Store, folder: Path, batch: str = BATCH) -> list[int]:
    """Store the bundle in `batch`; returns the upload ids. Committed."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [page_image(folder / "page1.png", "roster"), page_image(folder / "page2.png", "agreement")]
    with store.session() as session:
        uploads = [store_upload(session, store.data_dir, f, "clerk") for f in files]
        get_batch(session, batch, quarter="2020Q2", institution=INSTITUTION)
        save_bundle_result(session, bundle_result(), [u.id for u in uploads], batch, claim_date=CLAIM_DATE,
                           policy=POLICY)
        session.commit()
        return [u.id for u in uploads]
