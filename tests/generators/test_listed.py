"""One rule for who is listed (intake.policy.listing), held across the documents: Attachments 1–3, the
publicity list and the quarterly report name the same trainees with the same counts and amounts as the
store's eligible claims, on a batch with refused and pending claims; and a 2020 batch generated years
later keeps its 2020 dates."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from generators import GENERATORS
from generators.base import DateBlank, GenerationError, Options
from intake.store.models import Claim
from tests.generators.conftest import BATCH, RARE_NAMES, bundle_result, save
from tests.generators.golden import content
from tests.policy import POLICY

NAMES = RARE_NAMES[:8]
REFUSED = {NAMES[3]: "代领协议书未签字", NAMES[5]: "“杂技表演”不在特种作业或特种设备目录内"}
PENDING = NAMES[6]


@pytest.fixture
def mixed(store, tmp_path):
    """8 claims: row 4 lacks a signature, row 6 a catalogue profession (both refused), row 7 was read with
    low confidence and waits for review; 5 are listed."""
    save(store, tmp_path, bundle_result(NAMES, t5={"profession": "杂技表演"}, t6={"flags": ["low_confidence"]}))
    return store


def generate(store, kind, out, subject=BATCH, **options):
    with store.session() as session:
        generator = GENERATORS[kind](Options(data_dir=store.data_dir, policy=POLICY, **options))
        context = generator.context(session, subject)
        files = generator.render(context, out)
        session.commit()
    return context, {f.suffix: content(f) for f in files} if kind != "attachment2" else [content(f) for f in files]


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def test_the_documents_list_the_same_trainees_with_the_same_amounts(mixed, tmp_path):
    out = tmp_path / "out"
    with mixed.session() as session:
        claims = session.scalars(select(Claim)).all()
        ledger = sum((c.amount for c in claims if c.eligible is True), Decimal(0))
    assert ledger == Decimal(5000) and len(claims) == 8

    notes, roster = generate(mixed, "attachment1", out)
    roster_rows = roster[".docx"]["tables"][0][1:]
    listed = [r[1] for r in roster_rows]
    assert listed == [n for n in NAMES if n not in REFUSED and n != PENDING]
    assert f"共培训{len(listed)}人" in "".join(roster[".docx"]["paragraphs"])
    sheet = roster[".xlsx"]["花名册"]
    assert [r[1] for r in sheet if isinstance(r[0], int)] == listed

    _, agreements = generate(mixed, "attachment2", out)
    signers = [r[1] for doc in agreements if "tables" in doc for r in doc["tables"][0][1:]]
    assert signers == listed

    report_context, report = generate(mixed, "attachment3", out)
    text = "".join(report[".docx"]["paragraphs"])
    assert f"共组织安全技能培训{len(listed)}人，培训结束后{len(listed)}人取得" in text
    per = re.search(r"其中：(.*?)。", text).group(1)
    assert sum(int(n) for n in re.findall(r"(\d+)人", per)) == len(listed)
    assert "申请培训补贴伍仟元整（¥5,000.00）" in text and report_context["amount"] == ledger

    publicity_context, publicity = generate(mixed, "publicity", out, publicity_start=dt.date(2020, 9, 29))
    table = publicity[".docx"]["tables"][0]
    assert [r[1] for r in table[1:-1]] == listed
    assert table[-1][1] == f"{len(listed)}人" and money(table[-1][-1]) == ledger
    rows = [r for r in publicity[".xlsx"]["公示名单"] if isinstance(r[0], int)]
    assert sum(Decimal(str(r[-1])) for r in rows) == ledger  # amounts as numbers

    _, quarterly = generate(mixed, "quarterly", out, subject="2020Q2")
    total = quarterly[".docx"]["tables"][0][-1]
    assert total[0] == "合计" and (total[3], total[5]) == ("8", str(len(listed))) and money(total[6]) == ledger

    # Everyone left out is named, masked, with the reason, and appears in no document.
    for context in (notes, report_context, publicity_context):
        left = "\n".join(context["notes"])
        for name, why in REFUSED.items():
            assert re.search(rf"{name}（371602\*{{8}}\d{{3}}[\dX]）：未列入（不符合申领补贴条件：[^\n]*{why}", left)
        assert f"{PENDING}（" in left and "尚待审核" in left
    printed = str(roster) + str(agreements) + str(report) + str(publicity)
    assert not any(name in printed for name in [*REFUSED, PENDING])


def test_a_2020_batch_generated_years_later_keeps_its_2020_dates(filled, tmp_path):
    """No date entered: the roster's scanned 填表日期 dates Attachments 1 and 3, the officer's start day the
    publicity; nothing takes the machine's clock (whatever year it is now)."""
    this_year = str(dt.date.today().year)
    assert this_year != "2020"
    texts = {}
    for kind in ("attachment1", "attachment3"):
        _, files = generate(filled, kind, tmp_path / kind)
        texts[kind] = "".join(files[".docx"]["paragraphs"])
        assert "2020年6月1日" in texts[kind], kind
    _, files = generate(filled, "publicity", tmp_path / "publicity", publicity_start=dt.date(2020, 9, 29))
    texts["publicity"] = "".join(files[".docx"]["paragraphs"])
    assert texts["publicity"].endswith("2020年9月29日")
    for kind in ("attachment2", "quarterly"):
        # Dated when signed or sent: blank for the pen, not today.
        _, files = generate(filled, kind, tmp_path / kind, subject="2020Q2" if kind == "quarterly" else BATCH)
        docs = files if isinstance(files, list) else [files[".docx"]]
        texts[kind] = "".join(p for d in docs if "paragraphs" in d for p in d["paragraphs"])
        assert str(DateBlank()) in texts[kind]
    assert not any(this_year + "年" in text for text in texts.values())


def test_an_entered_date_wins_over_the_scanned_one(filled, tmp_path):
    _, files = generate(filled, "attachment3", tmp_path / "out", fill_date=dt.date(2020, 7, 15))
    assert "".join(files[".docx"]["paragraphs"]).endswith("2020年7月15日")


def test_a_roster_without_a_readable_date_leaves_it_blank_and_says_so(store, tmp_path):
    result = bundle_result()
    result["documents"][0]["fields"].pop("fill_date")
    save(store, tmp_path, result)
    context, files = generate(store, "attachment1", tmp_path / "out")
    assert files[".docx"]["paragraphs"][-1] == f"填表日期：{DateBlank()}"
    assert "填表日期未从材料中识别，已留空待手写；可用 --date 或批次页面指定" in context["notes"]


def test_nothing_listed_is_refused_naming_everyone_left_out(store, tmp_path):
    save(store, tmp_path, bundle_result(NAMES[:2], t0={"flags": ["missing_signature"]},
                                        t1={"flags": ["missing_certificate_copy"]}))
    with store.session() as session, pytest.raises(GenerationError) as caught:
        GENERATORS["attachment3"](Options(data_dir=store.data_dir, policy=POLICY)).context(session, BATCH)
    problems = caught.value.problems
    assert problems[0] == "没有符合申领补贴条件的学员（须审核通过），无可生成"
    assert "缺证书复印件" in problems[2] and NAMES[1] in problems[2]
