from ocr.layout import line_texts
from ocr.types import Box, Word


def test_label_and_value_cut_apart_are_one_line():
    ws = [Word("滨州市宏达机械有限公司", Box(345, 184, 645, 221), 0.99),
          Word("2020年安全技能培训人员花名册", Box(698, 87, 1326, 140), 0.99),
          Word("单位名称（盖章）", Box(120, 186, 314, 218), 0.92),
          Word("培训机构：滨州市安泰职业培训学校", Box(998, 184, 1419, 221), 0.99)]
    assert line_texts(ws) == ["2020年安全技能培训人员花名册",
                              "单位名称（盖章） 滨州市宏达机械有限公司 培训机构：滨州市安泰职业培训学校"]
