"""The words a user reads for each code: flags, rules, outcomes, batch statuses, page kinds, documents.

Codes stay in bundle-result/1, the JSON and the API; the pages, the command line, the rules' reasons and
the documents show these words, in the notice's terms (花名册, 代领协议书, 公示, 专业（工种）). One table, so
that a flag reads the same in the review form, the batch page, a rule's reason and a CLI message.
"""

from __future__ import annotations

from collections.abc import Iterable

from intake.fields import (
    certificate_numbers,
    class_periods,
    dates,
    genders,
    id_numbers,
    institutions,
    names,
    phones,
    professions,
)

FLAGS: dict[str, str] = {
    "missing_signature": "代领协议书未签字（手印或盖章）",
    "missing_certificate_copy": "缺证书复印件",
    "missing_stamp": "缺单位盖章",
    "invalid_id_number": "身份证号无效",
    "gender_id_mismatch": "性别与身份证号不符",
    "certificate_before_policy_start": "取证日期早于补贴政策起始日",
    "field_mismatch": "花名册、协议书、证书所载不一致",
    "duplicate_in_bundle": "同一材料中重复出现",
    "not_in_records": "不在班期学员信息表中",
    "annual_limit_exceeded": "超过每人每年申领次数",
    "repeat_profession_within_year": "一年内重复申领同专业（工种）同级别补贴",
    "profession_not_in_catalog": "专业（工种）不在特种作业、特种设备作业目录内",
    "low_confidence": "识别置信度低，需核对",
    "institution_unknown": "培训机构不在机构名录中",
    "institution_match_unsure": "培训机构与名录只是相近，需核对",
    "institution_not_recognised_for_profession": "培训机构未获该专业（工种）的认定",
    "institution_disqualified": "培训机构已被取消培训资格",
    "signature_same_hand": "签字疑似出自同一人之手",
    "fingerprint_same_image": "手印为同一图像",
    "certificate_image_reused": "证书复印件图像重复使用",
    "claimed_by_two_institutions": "同一学员同年由两家机构申领",
    "training_dates_overlap": "培训日期与另一班期重叠",
    "phone_shared": "多名学员使用同一手机号",
    "date_impossible": "日期或发证机关不合常理",
    "class_filed_after_start": "班期备案晚于培训开始",
}

# What the institution does about each flag before it hands the bundle in again (the clerk's result page).
FIXES: dict[str, str] = {
    "missing_signature": "请学员在代领协议书本人一行签字、按手印或盖个人章后，重新扫描该页",
    "missing_certificate_copy": "补交该学员的证书复印件（正面，必要时含背面）",
    "missing_stamp": "在花名册和代领协议书上加盖单位公章后重新扫描",
    "invalid_id_number": "对照身份证逐位核对身份证号，改正后重新扫描",
    "gender_id_mismatch": "核对性别与身份证号（第17位奇数为男、偶数为女）",
    "certificate_before_policy_start": "证书取得早于补贴政策起始日，不能申领，请从名单中删去",
    "field_mismatch": "花名册、协议书、证书上的姓名、身份证号、工种应一致，请核对改正",
    "duplicate_in_bundle": "同一学员同一工种只列一次，请删去重复的一行",
    "not_in_records": "确认该学员已录入班期学员信息表（Excel），或补交信息表",
    "annual_limit_exceeded": "该学员本年度申领已满次数，不能再申领",
    "repeat_profession_within_year": "该学员本年度已申领过同一工种，不能重复申领",
    "profession_not_in_catalog": "专业（工种）须写目录中的名称（如“低压电工作业”“叉车司机”）",
    "low_confidence": "部分字迹识别不清，审核员会对照扫描件核对；如能重新扫描（300 DPI、不歪斜）更好",
    "institution_unknown": "花名册“培训机构”和协议书“甲方”须写经主管部门认定的机构全称；机构未入名录的，请主管部门补录",
    "institution_match_unsure": "花名册和协议书上的机构名称须与认定公告一致；常用简称可请主管部门登记到名录",
    "institution_not_recognised_for_profession": "只能申领本机构获认定（且在有效期内）的专业（工种）的补贴",
    "institution_disqualified": "机构被取消培训资格后的申领不予补贴",
    "signature_same_hand": "每名学员须本人签字、按手印或盖个人章，不得代签",
    "fingerprint_same_image": "手印须本人当面按压，不得复制粘贴",
    "certificate_image_reused": "每名学员附本人本次取得的证书复印件，不得重复使用",
    "claimed_by_two_institutions": "核实该学员实际在哪家机构参加培训，只由该机构申领",
    "training_dates_overlap": "同一学员不能同时参加两个班期，请核对培训日期",
    "phone_shared": "手机号须为学员本人的号码",
    "date_impossible": "核对证书日期、培训起止日期、学员年龄和发证机关",
    "class_filed_after_start": "班期须在培训开始前在“山东省公共就业人才服务信息系统”中备案",
}

RULES: dict[str, str] = {
    "review": "审核结论", "certificate_date": dates.CERTIFICATE_DATE_TITLE, "catalogue": "专业（工种）目录",
    "annual_limit": "每年申领次数", "repeat_profession": "同专业（工种）同级别", "intake_flags": "材料问题",
}

OUTCOMES: dict[str, str] = {"pass": "通过", "fail": "不通过", "needs_review": "待审核"}

# A trainee's fields as the forms name them (review form, corrections, the archive's trainee page): each
# field's title is its module's.
FIELDS: dict[str, str] = {
    "id_number": id_numbers.TITLE, "name": names.TITLE, "gender": genders.TITLE, "phone": phones.TITLE,
    "profession": professions.TITLE, "certificate_no": certificate_numbers.TITLE,
    "certificate_date": dates.CERTIFICATE_DATE_TITLE, "training_date": dates.TITLE,
    "class_period": class_periods.TITLE, "institution": institutions.TITLE,
    "signature": "签字（手印或盖章）", "certificate_copy": "证书复印件", "record": "整条记录", "seal": "公章",
    "seal.roster": "公章（花名册）", "seal.agreement": "公章（协议书）",
}

# A reviewer's conclusion on a claim (service.models.ReviewClaim.status).
REVIEW_STATUSES: dict[str, str] = {"open": "待审核", "accepted": "已接受", "rejected": "已驳回",
                                   "awaiting_second": "驳回待复核"}

# A batch's life in order (service.batch_states: who takes each step and what it needs).
BATCH_STATUSES: dict[str, str] = {"draft": "已上传", "submitted": "审核中", "reviewed": "已审核",
                                  "publicised": "公示中", "publicity_ended": "公示结束", "approved": "已审批",
                                  "paid": "已拨付"}

PAGE_KINDS: dict[str, str] = {"roster": "花名册", "agreement": "代领协议书", "certificate": "证书复印件",
                              "report": "申请报告", "unknown": "未识别"}

# The generated documents, titled as the notice lists its attachments.
DOCUMENTS: dict[str, str] = {
    "attachment1": "附件1 安全技能培训人员花名册",
    "attachment2": "附件2 代领安全技能培训补贴协议书",
    "attachment3": "附件3 安全技能培训补贴申请报告",
    "publicity": "公示名单",
    "quarterly": "季报",
}


# What the signature detector saw in an agreement row (ocr.marks: ink, fingerprint, seal, none).
MARKS: dict[str, str] = {"ink": "手写签字", "fingerprint": "手印", "seal": "个人印章", "none": "未见签字",
                         "signature": "签字"}


def mark_label(code: str) -> str:
    return MARKS.get(code, code) if code else "未见签字"


def paper_row(document: str, row: int | None) -> int | None:
    """A row as it is counted on paper. Readers count a page's data rows from 0; the spreadsheet of class
    records is already numbered as Excel shows it."""
    if row is None:
        return None
    return row if document == "records" else row + 1


def who_label(name: str) -> str:
    """Who made a decision, as a person reads it: intake's job "job-7" is 识别任务 #7, "system" is 系统."""
    if name.startswith("job-") and name[4:].isdigit():
        return f"识别任务 #{name[4:]}"
    return {"system": "系统", "generator": "文书生成", "cli": "命令行"}.get(name, name)


def field_label(code: str) -> str:
    return FIELDS.get(code, code)


def rule_label(code: str) -> str:
    return RULES.get(code, code)


def flag_label(code: str) -> str:
    """The flag's words; an unknown code is shown as it is rather than hidden."""
    return FLAGS.get(code, code)


def fix_for(code: str) -> str:
    return FIXES.get(code, "")


def flag_labels(codes: Iterable[str]) -> str:
    return "、".join(flag_label(c) for c in codes)


def with_labels(text: str) -> str:
    """Text that may still name flags by code (older stored reasons) with each code in words."""
    for code, label in FLAGS.items():
        text = text.replace(code, label)
    return text
