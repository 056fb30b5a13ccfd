import pytest

from intake.fields.header import parse_declared_total, parse_labelled, parse_quarter
from intake.fields.professions import find_profession_in_text, match_profession


@pytest.mark.parametrize("raw, item", [
    ("低压电工作业", "低压电工作业"), ("低压电工", "低压电工作业"), ("N1叉车司机", "叉车司机"), ("N1", "叉车司机"),
    ("叉车司机", "叉车司机"), ("熔化焊接与热切割作业", "熔化焊接与热切割作业"),
    ("熔化焊接与热切刮作业", "熔化焊接与热切割作业"),
    ("高处安装,维护,拆除作业", "高处安装、维护、拆除作业"), ("采煤机(掘进机)操作作业", "煤矿采煤机（掘进机）操作作业"),
    ("Q2 起重机司机", "起重机司机"),
])
def test_printed_professions_match_catalogue_items(raw, item):
    assert match_profession(raw).item == item


@pytest.mark.parametrize("raw", ["", "厨师", "计算机操作员"])
def test_other_trades_do_not_match(raw):
    assert match_profession(raw) is None


def test_profession_named_in_a_paragraph():
    text = "乙方参加甲方组织的 低压电工作业 安全技能培训，培训时间2020年8月8日至8月23日"
    assert find_profession_in_text(text).item == "低压电工作业"


def test_labelled_values_stop_at_the_next_label():
    line = "单位名称（盖章）：滨州市某某有限公司    培训机构：滨州某某职业培训学校   第二季度：共培训 12 人"
    stops = ["单位名称", "培训机构", "第"]
    assert parse_labelled(line, "单位名称", stops) == "滨州市某某有限公司"
    assert parse_labelled(line, "培训机构", stops) == "滨州某某职业培训学校"
    assert parse_labelled("填 表 人：王明", "填表人") == "王明"
    assert parse_labelled("填表人：", "填表人") == ""


@pytest.mark.parametrize("text, want", [("第二季度", 2), ("第 3 季度", 3), ("2020Q4", 4), ("季报", None)])
def test_quarters(text, want):
    assert parse_quarter(text) == want


@pytest.mark.parametrize("text, want", [("共培训 12 人", 12), ("共培训：十二人", 12), ("培训人数：7", 7), ("", None)])
def test_declared_totals(text, want):
    assert parse_declared_total(text) == want
