"""A batch's life, held in one place: its states in order, who may take each step, what each step needs,
and the one function that takes a step or refuses it with every reason.

    已上传 draft → 审核中 submitted → 已审核 reviewed → 公示中 publicised → 公示结束 publicity_ended
    → 已审批 approved → 已拨付 paid

The gates are the notice's order of things (二（六）): every claim decided before anything is published; the
publicity list made (after the review, for the period set) before publicity starts; the period over before
it ends; Attachments 1–3 and the publicity list made, and the period over, before the finance bureau's
approval is recorded; an approved batch only is paid, and with Attachment 3's amount.

From 已审核 on, the batch is locked: the review refuses every change (service.review.actions asks
`locked_problem`), and a change needs an explicit 退回 with a reason, which brings the batch back to 审核中
and which every role reads on the batch page. Documents made before that no longer count for the gates.
A paid batch is not returned: the money is out.

Objections (异议) are taken during publicity: who raised it, when, about which trainee, what it says. Publicity
ends only when none is open. An objection found groundless is closed with the reason; one upheld reopens that
claim alone (the others keep their decisions) and brings the batch back to 审核中, so the claim is decided
again and the documents are made again, each as a new version.

Every step, every 退回 and every generation of documents is a BatchEvent, chained with the decisions
(intake.store.audit), so the history of a payment holds up. The pages, the API and `subsidy batch` all come
here; none of them changes `Batch.status` on its own.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.labels import BATCH_STATUSES, DOCUMENTS
from intake.store.models import Batch, BatchEvent, Claim
from service import clock
from service.models import Job, Publicity, ReviewClaim

log = logging.getLogger(__name__)

ORDER: tuple[str, ...] = tuple(BATCH_STATUSES)
LOCKED = frozenset({"reviewed", "publicised", "publicity_ended", "approved", "paid"})
RETURNABLE = LOCKED - {"paid"}
# The documents the finance bureau approved stay as approved: no regeneration after approval.
DOCUMENTS_FROZEN = frozenset({"approved", "paid"})
APPROVAL_DOCUMENTS = ("attachment1", "attachment2", "attachment3", "publicity")
DECIDED = ("accepted", "rejected")
ADVANCE, RETURN, GENERATE, OBJECTION, RESOLVE = "advance", "return", "generate", "objection", "resolve"
RETURN_TO = "submitted"
RETURN_ROLES = ("officer", "reviewer")


@dataclass(frozen=True)
class Step:
    """One step forward: into `target`, by one of `roles`, with the inputs it asks for."""

    target: str
    roles: tuple[str, ...]
    meaning: str
    inputs: tuple[str, ...] = ()   # of: number, date, amount

    @property
    def name(self) -> str:
        return BATCH_STATUSES[self.target]


STEPS: dict[str, Step] = {s.target: s for s in (
    Step("submitted", ("reviewer", "officer"), "材料收齐，开始审核：录入员不能再向本批次添加材料。"),
    Step("reviewed", ("reviewer", "officer"),
         "每条申请都已有审核结论。批次随即锁定：此后修改任何申请，须先退回批次并写明理由。"),
    Step("publicised", ("officer",), "公示名单已按设定的公示期生成，开始公示。"),
    Step("publicity_ended", ("officer",), "公示期已满，公示结束。"),
    Step("approved", ("officer",), "记录财政局的批复：批复文号和批复日期。", ("number", "date")),
    Step("paid", ("officer",), "补贴已拨付至培训机构：记录拨付金额（须与附件3申请金额一致）和拨付日期。",
         ("amount", "date")),
)}
INPUT_NAMES = {"number": "批复文号", "date": "日期", "amount": "金额（元）", "reason": "理由"}
ROLE_WORDS = {"reviewer": "审核员", "officer": "经办人"}


class BatchProblem(Exception):
    """A step the batch's state or facts do not allow; every reason, in Chinese, for whoever asked."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Actor:
    """Who takes a step: an account of the web app, or (role None) the machine's operator at the command line."""

    name: str
    role: str | None = None


@dataclass(frozen=True)
class StepInput:
    reason: str = ""
    number: str = ""
    amount: Decimal | None = None
    date: dt.date | None = None


def status_name(status: str) -> str:
    return BATCH_STATUSES.get(status, status)


def next_status(status: str) -> str | None:
    at = ORDER.index(status) if status in ORDER else len(ORDER)
    return ORDER[at + 1] if at + 1 < len(ORDER) else None


def parse_status(text: str) -> str | None:
    """A state by its code or its Chinese name (the command line takes both)."""
    text = text.strip()
    if text in BATCH_STATUSES:
        return text
    return next((code for code, name in BATCH_STATUSES.items() if name == text), None)


def parse_amount(text: str) -> Decimal | None:
    """Yuan as typed ("2000", "2,000.00", "¥2000"); None when it is not an amount."""
    cleaned = text.strip().replace(",", "").replace("，", "").lstrip("¥￥").removesuffix("元")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def money_text(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


# --- what the gates look at ------------------------------------------------------------------------

@dataclass
class Facts:
    """What the gates of a batch look at, gathered once."""

    batch: Batch
    claims: int
    undecided: int
    jobs_open: int
    publicity: Publicity | None
    reviewed_at: int                  # id of the event that last made the batch 已审核 (0: never)
    generated: dict[str, BatchEvent]  # the newest generation of each kind since then
    on_disk: set[str]
    approval: BatchEvent | None
    open_objections: int = 0
    today: dt.date = field(default_factory=clock.today)


ALL_ACTIONS = (ADVANCE, RETURN, GENERATE, OBJECTION, RESOLVE)


def events(session: Session, batch_id: int, actions: Iterable[str] = ALL_ACTIONS) -> list[BatchEvent]:
    return list(session.scalars(select(BatchEvent).where(BatchEvent.batch_id == batch_id,
                                                         BatchEvent.action.in_(list(actions)))
                                .order_by(BatchEvent.id)))


def facts(session: Session, data_dir: Path, batch: Batch) -> Facts:
    from service.documents import list_files

    claim_ids = select(Claim.id).where(Claim.batch_id == batch.id)
    claims = session.scalar(select(func.count()).select_from(claim_ids.subquery())) or 0
    decided = session.scalar(select(func.count(ReviewClaim.claim_id)).where(
        ReviewClaim.claim_id.in_(claim_ids), ReviewClaim.status.in_(DECIDED))) or 0
    jobs_open = session.scalar(select(func.count(Job.id)).where(
        Job.batch_id == batch.id, Job.status.in_(("queued", "running")))) or 0
    history = events(session, batch.id)
    reviewed_at = max((e.id for e in history if e.action == ADVANCE and e.to_status == "reviewed"), default=0)
    generated = {e.detail.get("kind", ""): e for e in history if e.action == GENERATE and e.id > reviewed_at}
    approval = next((e for e in reversed(history) if e.action == ADVANCE and e.to_status == "approved"), None)
    on_disk = {f.kind for f in list_files(data_dir, f"batch-{batch.id}")}
    return Facts(batch, claims, claims - decided, jobs_open, session.get(Publicity, batch.id), reviewed_at,
                 generated, on_disk, approval, len(open_objections(session, batch.id)))


def _made(f: Facts, kind: str) -> list[str]:
    """The document counts when it was made after the batch was last reviewed, and is still there."""
    title = DOCUMENTS[kind]
    if kind not in f.generated:
        if kind in f.on_disk:
            return [f"{title}生成于本批次审核完成之前（或批次退回之前），请重新生成"]
        return [f"请先生成{title}"]
    if kind not in f.on_disk:
        return [f"{title}的文件已不在，请重新生成"]
    return []


def _publicity_list_problems(f: Facts) -> list[str]:
    if f.publicity is None:
        return ["请先设定公示期"]
    problems = _made(f, "publicity")
    made = f.generated.get("publicity")
    if not problems and made is not None and (made.detail.get("start"), made.detail.get("end")) != (
            f.publicity.start_date.isoformat(), f.publicity.end_date.isoformat()):
        problems.append(f"公示名单按公示期 {made.detail.get('start')} 至 {made.detail.get('end')} 生成，"
                        f"公示期已改为 {f.publicity.start_date} 至 {f.publicity.end_date}，请重新生成公示名单")
    return problems


def _publicity_over(f: Facts) -> list[str]:
    if f.publicity is None:
        return ["请先设定公示期"]
    if f.today <= f.publicity.end_date:
        return [f"公示期到 {f.publicity.end_date} 为止（今天 {f.today}，北京时间），公示期满后才能进行此步"]
    return []


def fact_problems(f: Facts, target: str) -> list[str]:
    """What the batch itself still lacks for the step (the inputs aside)."""
    problems: list[str] = []
    if target in ("submitted", "reviewed"):
        if f.claims == 0:
            problems.append("本批次还没有学员")
        if f.jobs_open:
            problems.append(f"本批次还有 {f.jobs_open} 个识别任务未完成")
    if target == "reviewed" and f.claims and f.undecided:
        problems.append(f"还有 {f.undecided} 条申请没有审核结论（共 {f.claims} 条）")
    if target == "publicised":
        problems += _publicity_list_problems(f)
    if target == "publicity_ended":
        problems += _publicity_over(f)
        if f.open_objections:
            problems.append(f"还有 {f.open_objections} 条异议未处理")
    if target == "approved":
        problems += _publicity_over(f)
        for kind in APPROVAL_DOCUMENTS[:3]:
            problems += _made(f, kind)
    if target == "paid":
        if f.approval is None:
            problems.append("没有财政局批复的记录")
        if "attachment3" not in f.generated:
            problems.append("没有附件3申请报告的申请金额")
    return problems


def attachment3_amount(f: Facts) -> Decimal | None:
    made = f.generated.get("attachment3")
    return Decimal(made.detail["amount"]) if made is not None and "amount" in made.detail else None


def input_problems(f: Facts, target: str, given: StepInput) -> list[str]:
    """What the step asks the person taking it for, checked against the batch."""
    step = STEPS[target]
    problems = [f"请填写{INPUT_NAMES[name]}" for name in step.inputs
                if getattr(given, name) in (None, "")]
    day = given.date
    if day is not None and day > f.today:
        problems.append(f"日期 {day} 晚于今天（{f.today}，北京时间）")
    if target == "approved" and day is not None and f.publicity is not None and day <= f.publicity.end_date:
        problems.append(f"批复日期 {day} 不能早于公示期满（{f.publicity.end_date}）")
    if target == "paid":
        expected = attachment3_amount(f)
        if given.amount is not None and expected is not None and given.amount != expected:
            problems.append(f"拨付金额 {money_text(given.amount)} 与附件3申请金额 {money_text(expected)} 不一致")
        approved_on = f.approval.detail.get("date") if f.approval is not None else None
        if day is not None and approved_on and day < dt.date.fromisoformat(approved_on):
            problems.append(f"拨付日期 {day} 早于批复日期 {approved_on}")
    return problems


def role_problems(step_roles: tuple[str, ...], actor: Actor) -> list[str]:
    if actor.role is None or actor.role in step_roles:
        return []
    return [f"此步须由{'或'.join(ROLE_WORDS.get(r, r) for r in step_roles)}进行"]


def order_problems(batch: Batch, target: str) -> list[str]:
    if target not in STEPS:
        return [f"没有“{target}”这一状态"]
    wanted = next_status(batch.status)
    if wanted == target:
        return []
    then = f"下一步是“{status_name(wanted)}”" if wanted else "已是最后一步"
    return [f"批次当前为“{status_name(batch.status)}”，{then}，不能改为“{status_name(target)}”"]


def check(session: Session, data_dir: Path, batch: Batch, target: str, actor: Actor,
          given: StepInput = StepInput()) -> list[str]:
    """Every reason the step cannot be taken now ([] when it can)."""
    problems = order_problems(batch, target)
    if problems:
        return problems
    f = facts(session, data_dir, batch)
    return role_problems(STEPS[target].roles, actor) + fact_problems(f, target) + input_problems(f, target, given)


# --- taking a step -------------------------------------------------------------------------------------

def _event(session: Session, batch: Batch, action: str, to_status: str, actor: Actor, reason: str = "",
           detail: dict | None = None) -> BatchEvent:
    event = BatchEvent(batch_id=batch.id, action=action, from_status=batch.status, to_status=to_status,
                       who=actor.name, reason=reason, detail=detail or {})
    session.add(event)
    return event


def advance(session: Session, data_dir: Path, batch: Batch, target: str, actor: Actor,
            given: StepInput = StepInput()) -> BatchEvent:
    """Take the step or raise BatchProblem with every reason; the step is an audited event. Commits."""
    problems = check(session, data_dir, batch, target, actor, given)
    if problems:
        raise BatchProblem(problems)
    detail: dict[str, str] = {}
    if given.number:
        detail["number"] = given.number.strip()
    if given.date is not None:
        detail["date"] = given.date.isoformat()
    if given.amount is not None:
        detail["amount"] = f"{given.amount:.2f}"
    event = _event(session, batch, ADVANCE, target, actor, given.reason.strip(), detail)
    log.info("batch %s: %s -> %s by %s", batch.id, batch.status, target, actor.name)
    batch.status = target
    session.commit()
    return event


def return_batch(session: Session, batch: Batch, actor: Actor, reason: str) -> BatchEvent:
    """退回: a locked batch back to 审核中, with the reason every role then reads. Commits."""
    problems = role_problems(RETURN_ROLES, actor)
    if batch.status not in RETURNABLE:
        problems.append("已拨付的批次不能退回：补贴已拨付" if batch.status == "paid" else
                        f"批次当前为“{status_name(batch.status)}”，尚未锁定，无须退回")
    if not reason.strip():
        problems.append("退回必须写明理由")
    if problems:
        raise BatchProblem(problems)
    event = _event(session, batch, RETURN, RETURN_TO, actor, reason.strip())
    log.info("batch %s: returned from %s by %s", batch.id, batch.status, actor.name)
    batch.status = RETURN_TO
    session.commit()
    return event


def generation_problem(batch: Batch) -> str:
    if batch.status in DOCUMENTS_FROZEN:
        return (f"批次已{status_name(batch.status)}，文书保持批复时的版本，不能重新生成；"
                "如确需修改，请先退回批次" if batch.status == "approved" else
                "批次已拨付，文书保持批复时的版本，不能重新生成")
    return ""


def record_generation(session: Session, batch: Batch, kind: str, files: list[str], actor: Actor,
                      detail: dict[str, str]) -> BatchEvent:
    """The documents of one kind made for the batch (which version, from what), as an event. Commits."""
    version = 1 + sum(1 for e in events(session, batch.id, (GENERATE,)) if e.detail.get("kind") == kind)
    event = _event(session, batch, GENERATE, batch.status, actor,
                   detail={"kind": kind, "files": files, "version": str(version), **detail})
    session.commit()
    return event


def locked_problem(batch: Batch) -> str:
    """Why a claim of this batch cannot be changed now ("" while it can)."""
    if batch.status not in LOCKED:
        return ""
    how = ("补贴已拨付，不能再修改" if batch.status == "paid" else
           "如需修改，请先退回批次（经办人或审核员，须写明理由；退回后各角色都能在批次页看到）")
    return f"批次“{batch.name}”已{status_name(batch.status)}，已锁定：{how}"


# --- objections during publicity ----------------------------------------------------------------------

@dataclass(frozen=True)
class Objection:
    event: BatchEvent
    resolution: BatchEvent | None

    @property
    def open(self) -> bool:
        return self.resolution is None

    @property
    def claim_id(self) -> int | None:
        value = self.event.detail.get("claim_id")
        return int(value) if value else None


def objections(session: Session, batch_id: int) -> list[Objection]:
    history = events(session, batch_id, (OBJECTION, RESOLVE))
    resolved = {e.detail.get("objection"): e for e in history if e.action == RESOLVE}
    return [Objection(e, resolved.get(str(e.id))) for e in history if e.action == OBJECTION]


def open_objections(session: Session, batch_id: int) -> list[Objection]:
    return [o for o in objections(session, batch_id) if o.open]


def record_objection(session: Session, batch: Batch, actor: Actor, claim_id: int | None, objector: str,
                     content: str) -> BatchEvent:
    """An objection received during publicity, as the officer took it down. Commits."""
    problems = role_problems(("officer",), actor)
    if batch.status != "publicised":
        problems.append(f"异议在公示期间受理；批次当前为“{status_name(batch.status)}”")
    if not content.strip():
        problems.append("请填写异议内容")
    if not objector.strip():
        problems.append("请填写异议人（或“匿名”）")
    if claim_id is not None and session.scalar(select(Claim.id).where(Claim.id == claim_id,
                                                                      Claim.batch_id == batch.id)) is None:
        problems.append("本批次没有这名学员")
    if problems:
        raise BatchProblem(problems)
    event = _event(session, batch, OBJECTION, batch.status, actor, content.strip(),
                   {"claim_id": str(claim_id or ""), "objector": objector.strip()})
    session.commit()
    return event


def resolve_objection(session: Session, batch: Batch, actor: Actor, objection_id: int, upheld: bool,
                      reason: str) -> BatchEvent:
    """Close an objection: groundless (publicity goes on) or upheld (its claim reopened, the batch back to
    审核中). Commits."""
    found = next((o for o in objections(session, batch.id) if o.event.id == objection_id), None)
    problems = role_problems(("officer",), actor)
    if found is None:
        problems.append("没有这条异议")
    elif not found.open:
        problems.append("这条异议已处理")
    if not reason.strip():
        problems.append("请写明处理理由")
    if upheld and found is not None and found.claim_id is None:
        problems.append("异议未指明学员：成立的异议须指明是哪名学员的申请")
    if batch.status != "publicised":
        problems.append(f"批次当前为“{status_name(batch.status)}”，不在公示中")
    if problems:
        raise BatchProblem(problems)
    to_status = RETURN_TO if upheld else batch.status
    event = _event(session, batch, RESOLVE, to_status, actor, reason.strip(),
                   {"objection": str(objection_id), "decision": "upheld" if upheld else "dismissed"})
    if upheld:
        _reopen(session, found.claim_id, actor, f"公示异议成立：{reason.strip()}")
        batch.status = to_status
    session.commit()
    return event


def _reopen(session: Session, claim_id: int, actor: Actor, reason: str) -> None:
    """The claim back to the review, and out of the documents until it is decided again."""
    from intake.store.models import Decision

    state = session.get(ReviewClaim, claim_id)
    claim = session.get(Claim, claim_id)
    session.add(Decision(claim_id=claim_id, rule="review", outcome="needs_review", decided_by=actor.name,
                         reason=reason, evidence={"was": state.status if state else ""}))
    claim.eligible = None
    if state is not None:
        state.status, state.reason, state.decided_by, state.decided_at, state.proposed_by = "open", "", "", None, ""


# --- what people read ----------------------------------------------------------------------------------

def describe(event: BatchEvent) -> str:
    """One line of the batch's history."""
    when = clock.beijing_text(event.at)
    if event.action == RETURN:
        return (f"{when} {event.who} 将批次由“{status_name(event.from_status)}”退回“{status_name(event.to_status)}”，"
                f"理由：{event.reason}")
    if event.action == OBJECTION:
        return f"{when} {event.who} 受理异议（异议人：{event.detail.get('objector', '')}）：{event.reason}"
    if event.action == RESOLVE:
        if event.detail.get("decision") == "upheld":
            return (f"{when} {event.who} 认定异议成立，该学员的申请重新审核，批次退回“{status_name(event.to_status)}”，"
                    f"理由：{event.reason}")
        return f"{when} {event.who} 认定异议不成立，理由：{event.reason}"
    if event.action == GENERATE:
        kind = event.detail.get("kind", "")
        return f"{when} {event.who} 生成{DOCUMENTS.get(kind, kind)}（第 {event.detail.get('version', '1')} 版）"
    extra = []
    if "number" in event.detail:
        extra.append(f"批复文号 {event.detail['number']}")
    if "amount" in event.detail:
        extra.append(f"金额 {money_text(Decimal(event.detail['amount']))}")
    if "date" in event.detail:
        extra.append(f"日期 {event.detail['date']}")
    if event.reason:
        extra.append(f"说明：{event.reason}")
    tail = f"（{'，'.join(extra)}）" if extra else ""
    return f"{when} {event.who} 将批次由“{status_name(event.from_status)}”改为“{status_name(event.to_status)}”{tail}"


@dataclass(frozen=True)
class Outlook:
    """Where the batch stands and what its next step needs, for the page and `subsidy batch show`."""

    status: str
    step: Step | None
    missing: list[str]
    returned: BatchEvent | None     # the last 退回 (or upheld objection), while the batch is back in review since

    @property
    def status_name(self) -> str:
        return status_name(self.status)


def outlook(session: Session, data_dir: Path, batch: Batch) -> Outlook:
    target = next_status(batch.status)
    missing = fact_problems(facts(session, data_dir, batch), target) if target else []
    moves = [e for e in events(session, batch.id, (ADVANCE, RETURN, RESOLVE)) if e.to_status != e.from_status]
    returned = moves[-1] if moves and moves[-1].action in (RETURN, RESOLVE) else None
    return Outlook(batch.status, STEPS.get(target) if target else None, missing, returned)
