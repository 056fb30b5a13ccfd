"""`subsidy batch show NAME` and `subsidy batch advance NAME STATE [--reason] [--number] [--amount] [--date]`:
the batch's life (service.batch_states) from the command line, with the same gates as the web pages.

Exit status: 0 done, 1 the step was refused (every reason on stderr, in Chinese) or no such batch,
2 wrong usage (an unknown state among them).
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from sqlalchemy import select

from intake.labels import BATCH_STATUSES
from intake.store.models import Batch
from service import batch_states
from service.batch_states import Actor, BatchProblem

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def _say(message: str) -> None:
    click.echo(message, err=True)


def _open(data: Path):  # type: ignore[no-untyped-def]
    from service.db import open_service_store
    from service.settings import Settings

    return open_service_store(Settings.from_env(data))


def _find(session, name: str) -> Batch:  # type: ignore[no-untyped-def]
    batch = session.scalar(select(Batch).where(Batch.name == name))
    if batch is None:
        _say(f"没有批次“{name}”")
        sys.exit(EXIT_REFUSED)
    return batch


@click.group()
def batch() -> None:
    """批次的流程：查看状态与下一步所需，推进或退回。"""


@batch.command()
@click.argument("name")
@click.pass_obj
def show(obj: dict, name: str) -> None:
    """显示批次的状态、下一步所需和批次记录。"""
    store = _open(obj["data"])
    try:
        with store.session() as session:
            found = _find(session, name)
            view = batch_states.outlook(session, store.data_dir, found)
            click.echo(f"批次：{found.name}（季度 {found.quarter or '—'}）")
            click.echo(f"状态：{view.status_name}")
            if view.returned is not None:
                click.echo(f"已被退回：{batch_states.describe(view.returned)}")
            if view.step is None:
                click.echo("下一步：无（已走完全部流程）")
            else:
                roles = "或".join(batch_states.ROLE_WORDS.get(r, r) for r in view.step.roles)
                click.echo(f"下一步：{view.step.name}（由{roles}进行）：{view.step.meaning}")
                for missing in view.missing:
                    click.echo(f"  尚缺：{missing}")
                for needed in view.step.inputs:
                    click.echo(f"  须提供：--{needed}（{batch_states.INPUT_NAMES[needed]}）")
            history = batch_states.events(session, found.id)
            if history:
                click.echo("批次记录：")
                for event in history:
                    click.echo(f"  {batch_states.describe(event)}")
    finally:
        store.close()


@batch.command()
@click.argument("name")
@click.argument("state")
@click.option("--reason", default="", help="说明；退回（STATE 为 退回 或 return）时必填")
@click.option("--number", default="", help="批复文号（已审批）")
@click.option("--amount", default="", help="拨付金额，元（已拨付；须与附件3申请金额一致）")
@click.option("--date", "day", default="", help="批复或拨付日期 YYYY-MM-DD")
@click.option("--by", "by", default=None, metavar="NAME", help="记入批次记录的操作人（默认：命令行及系统用户名）")
@click.pass_obj
def advance(obj: dict, name: str, state: str, reason: str, number: str, amount: str, day: str,
            by: str | None) -> None:
    """把批次推进到 STATE（下一状态，代码或中文名），或退回（STATE 为 退回）；不能时说明原因，退出码 1。"""
    from service.batches import step_input

    returning = state.strip() in ("退回", "return")
    target = None if returning else batch_states.parse_status(state)
    if not returning and target is None:
        _say(f"没有“{state}”这一状态；可用：{'、'.join(BATCH_STATUSES.values())}、退回")
        sys.exit(EXIT_USAGE)
    actor = Actor(by or f"命令行（{getpass.getuser()}）")
    store = _open(obj["data"])
    try:
        with store.session() as session:
            found = _find(session, name)
            given, unreadable = step_input(reason, number, amount, day)
            try:
                if unreadable:
                    raise BatchProblem(unreadable)
                event = (batch_states.return_batch(session, found, actor, reason) if returning else
                         batch_states.advance(session, store.data_dir, found, target, actor, given))
            except BatchProblem as problem:
                session.rollback()
                _say(f"批次“{name}”：未能{'退回' if returning else '改为“' + batch_states.status_name(target) + '”'}")
                for line in problem.problems:
                    _say(f"  {line}")
                sys.exit(EXIT_REFUSED)
            click.echo(batch_states.describe(event))
    finally:
        store.close()
