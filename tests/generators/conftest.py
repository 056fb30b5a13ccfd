"""A fixed data set in a fresh store: one batch of 12 trainees in two classes, rare name characters
included, one claim refused (missing signature), stored through intake's own save_bundle_result."""

from __future__ import annotations

import datetime as dt

import pytest

from generators.base import Options
from intake.store.bundles import save_bundle_result
from intake.store.db import URL_ENV, open_store
from intake.store.keys import KEY_ENV
from intake.store.uploads import store_upload
from tests.intake.idgen import make_id, make_phone
from tests.policy import POLICY

BATCH = "2020Q2-滨州安培"
INSTITUTION = "滨州市安全技术培训中心"
RARE_NAMES = ("欧阳娜娜", "李䶮", "王堃", "张喆", "刘燚", "陈犇", "赵淼", "孙玥", "周珺", "吴昇", "郑曌", "司马相如")
FILL_DATE = dt.date(2020, 6, 1)


def trainee(i: int, name: str) -> dict:
    electric = i < 7
    id_number = make_id(i + 1, born=f"19{80 + i}0307")
    return {
        "id_number": id_number, "name": name, "gender": "男" if (i + 1) % 2 else "女", "phone": make_phone(i + 1),
        "profession": "低压电工作业" if electric else "叉车司机",
        "certificate_no": f"T{id_number}" if electric else f"TS{3716020200000 + i}",
        "training_date": "2020-05-06/2020-05-20" if electric else "2020-05-11/2020-05-22",
        "class_period": "2020年第3期" if electric else "2020年第4期",
        "signed": i != 3, "certificate_copy": True, "flags": ["missing_signature"] if i == 3 else [],
    }


def bundle_result(names: tuple[str, ...] = RARE_NAMES, **changes) -> dict:
    trainees = [trainee(i, n) for i, n in enumerate(names)]
    for index, fields in changes.items():
        trainees[int(index.removeprefix("t"))].update(fields)
    return {"schema": "bundle-result/1", "source": "bundle_001.pdf",
            "pages": [{"page": 1, "kind": "roster", "rotation": 0}],
            "documents": [{"kind": "roster", "pages": [1], "stamp_present": True,
                           "fields": {"unit_name": "滨州宏达化工有限公司", "institution": INSTITUTION,
                                      "filled_by": "王芳", "contact_phone": "0543-3161234",
                                      "fill_date": "2020-06-01"}}],
            "trainees": trainees}


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv(URL_ENV, raising=False)
    monkeypatch.delenv(KEY_ENV, raising=False)
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


def save(store, tmp_path, result: dict, batch: str = BATCH, name: str = "bundle_001.pdf") -> None:
    scan = tmp_path / name
    scan.write_bytes(b"%PDF-1.4 " + name.encode() + repr(result["trainees"]).encode())
    with store.session() as session:
        upload = store_upload(session, store.data_dir, scan, "clerk")
        save_bundle_result(session, result, [upload.id], batch, claim_date=FILL_DATE, policy=POLICY)
        session.commit()


@pytest.fixture
def filled(store, tmp_path):
    """The store with the fixed batch in it."""
    save(store, tmp_path, bundle_result())
    return store


@pytest.fixture
def options(tmp_path):
    """No date entered: the documents take the batch's own (its roster's 填表日期), never the clock."""
    return Options(data_dir=tmp_path / "data", publicity_start=dt.date(2020, 9, 29), policy=POLICY)
