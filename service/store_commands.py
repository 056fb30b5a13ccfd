"""`subsidy ledger import`, `subsidy records import` and `subsidy institutions import`: spreadsheets into the
records store.

Exit status as for every subcommand: 0 all rows taken, 1 some rows (or the file) refused, each named on
stderr as "FILE, row R: reason", 2 wrong usage. Messages never carry a full ID number.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import click

from intake.store.reports import ImportReport
from ocr.errors import InputProblem

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def _say(message: str) -> None:
    click.echo(message, err=True)


def _run_import(data_dir: Path, work: Callable[..., ImportReport]) -> None:
    """Open the store, run one import in one transaction, report, exit with the contract's status."""
    from intake.store.db import open_store

    store = open_store(data_dir)
    try:
        with store.session() as session:
            try:
                report = work(session)
            except InputProblem as problem:
                session.rollback()
                _say(str(problem))
                sys.exit(EXIT_SOME_FAILED)
            session.commit()
    finally:
        store.close()
    click.echo(f"{report.source}: {report.summary()}")
    for note in report.notes:
        _say(f"{note}（已导入 imported）")
    for problem in report.rejected:
        _say(str(problem))
    sys.exit(EXIT_SOME_FAILED if report.rejected else EXIT_OK)


@click.group()
def ledger() -> None:
    """台账：往年已申领的补贴记录。"""


@ledger.command("import")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.pass_obj
def ledger_import(obj: dict, file: Path) -> None:
    """从 FILE（.xlsx/.xls/.csv，中文表头）导入往年已申领记录；重复导入不会重复添加。"""
    from intake.ledger import import_ledger

    _run_import(obj["data"], lambda session: import_ledger(session, file))


@click.group()
def records() -> None:
    """班级结构化记录（省系统导出的 Excel）。"""


@records.command("import")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--batch", "batch_name", metavar="NAME", help="同时把每名学员的申领记入此批次（没有则新建）")
@click.option("--claim-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="申领日期（默认：批次已有的日期，否则培训结束日期）")
@click.pass_obj
def records_import(obj: dict, file: Path, batch_name: str | None, claim_date: dt.datetime | None) -> None:
    """导入班期学员信息（姓名 性别 身份证号 手机 专业（工种） 证书编号 培训日期 班期）。"""
    from intake.store.class_records import import_records

    day = claim_date.date() if claim_date else None
    _run_import(obj["data"], lambda session: import_records(session, file, batch_name, day, policy=obj["policy"]))


@click.group()
def institutions() -> None:
    """机构名录：经行业主管部门认定的培训机构、认定类别与取消资格。"""


@institutions.command("import")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--by", "who", metavar="NAME", default="cli", help="记入审计链的操作人（默认 命令行）")
@click.pass_obj
def institutions_import(obj: dict, file: Path, who: str) -> None:
    """从 FILE（.xlsx/.xls/.csv）导入机构名录，表头任意顺序：机构名称 统一社会信用代码 认定类别 认定部门
    认定文号 有效期起 有效期止 取消资格日期 取消资格原因（可加 简称）；重复导入不会重复添加。"""
    from intake.institutions.importer import import_registry

    _run_import(obj["data"], lambda session: import_registry(session, file, obj["policy"], who))
