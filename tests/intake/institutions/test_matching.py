"""A bundle's institution from the names its papers print: sure, unsure (for review) or unknown."""

from intake.institutions.matching import Known, match_institution, similarity
from intake.institutions.names import name_key, printed_forms, tidy_name

KNOWN = [Known.of(1, "滨州市鲁北职业培训学校", ["鲁北职校"]), Known.of(2, "滨州恒安安全技术培训中心有限公司"),
         Known.of(3, "滨州市鲁北安全技术培训中心"), Known.of(4, "博兴县众诚职业技能培训学校")]


def test_printed_forms_with_and_without_legal_form_and_city():
    forms = printed_forms("滨州恒安安全技术培训中心有限公司")
    assert {"滨州恒安安全技术培训中心有限公司", "滨州恒安安全技术培训中心", "恒安安全技术培训中心"} <= forms
    assert tidy_name(" 滨州市鲁北职业培训学校（盖章） ") == "滨州市鲁北职业培训学校"
    assert name_key("滨州市（鲁北）职业培训学校") == "滨州市鲁北职业培训学校"


def test_the_same_name_in_any_printed_form_is_sure():
    for read in ("滨州市鲁北职业培训学校", "鲁北职业培训学校（盖章）", "鲁北职校", "滨州市 鲁北职业培训学校"):
        found = match_institution({"roster": read, "agreement": "滨州市鲁北职业培训学校"}, KNOWN)
        assert (found.status, found.institution_id) == ("sure", 1), read
    found = match_institution({"roster": "恒安安全技术培训中心", "agreement": ""}, KNOWN)
    assert (found.status, found.institution_id) == ("sure", 2)


def test_one_misread_character_is_still_sure_but_two_close_names_are_not_confused():
    found = match_institution({"roster": "滨州市鲁北职业培训学挍"}, KNOWN)
    assert (found.status, found.institution_id) == ("sure", 1)
    assert similarity(name_key("滨州市鲁北职业培训学校"), "滨州市鲁北安全技术培训中心") < 0.7


def test_only_close_goes_to_review_with_the_closest():
    found = match_institution({"roster": "滨州鲁北职业技能培训学校"}, KNOWN)
    assert found.status == "unsure" and found.institution_id == 1 and "相近" in found.reason


def test_papers_that_disagree_go_to_review():
    found = match_institution({"roster": "滨州市鲁北职业培训学校", "agreement": "博兴县众诚职业技能培训学校"}, KNOWN)
    assert found.status == "unsure" and found.institution_id == 1 and "不一致" in found.reason
    found = match_institution({"roster": "滨州市鲁北职业培训学校", "batch": "博兴县众诚职业技能培训学校"}, KNOWN)
    assert found.status == "unsure" and "上传时填写" in found.reason


def test_unregistered_or_unread_names_are_unknown_and_the_upload_name_counts_only_without_papers():
    found = match_institution({"roster": "无棣县金桥技工学校"}, KNOWN)
    assert found.status == "unknown" and "不在机构名录中" in found.reason
    assert match_institution({"roster": "", "agreement": " "}, KNOWN).status == "unknown"
    found = match_institution({"roster": "", "batch": "博兴县众诚职业技能培训学校"}, KNOWN)
    assert (found.status, found.institution_id) == ("sure", 4)


def test_the_same_school_name_in_another_county_is_another_school():
    found = match_institution({"roster": "邹平市鲁北职业培训学校"}, KNOWN)
    assert found.status == "unknown"
    found = match_institution({"roster": "滨州市滨城区鲁北职业培训学校"}, KNOWN)
    assert (found.status, found.institution_id) == ("sure", 1)
