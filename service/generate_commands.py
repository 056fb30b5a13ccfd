"""`subsidy generate KIND --batch NAME --out DIR` and `subsidy generate quarterly --quarter 2020Q2 --out DIR`.

Exit status as for every subcommand: 0 all written, 1 the data (or LibreOffice, with --pdf) refused — every
problem named on stderr with the trainee's row, name and masked ID, and no half-filled document written —,
2 wrong usage. The access log of full ID numbers is committed only when the documents were written.
Dates come from the batch (the scanned 填表日期), from --date, or stay blank for the pen; the publicity
period from --publicity-start or the start the officer set on the batch page; never from the clock.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from generators import GENERATORS
from generators.base import GenerationError, Options, quarter_parts

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
DATE = click.DateTime(formats=["%Y-%m-%d"])


def _say(message: str) -> None:
    click.echo(message, err=True)


def _run(data_dir: Path, kind: str, subject: str, out: Path, pdf: bool, options: Options) -> None:
    from generators.pdf import to_pdf
    from intake.store.db import open_store
    from service.documents import publicity_start

    generator = GENERATORS[kind](options)
    store = open_store(data_dir)
    failed = False
    try:
        with store.session() as session:
            if kind == "publicity" and options.publicity_start is None:
                options.publicity_start = publicity_start(session, subject)
            try:
                context = generator.context(session, subject)
                files = generator.render(context, out)
            except GenerationError as problem:
                session.rollback()
                _say(f"{problem.subject}：未生成{generator.title}")
                for line in problem.problems:
                    _say(f"  {line}")
                sys.exit(EXIT_SOME_FAILED)
            session.commit()
    finally:
        store.close()
    for note in context.get("notes", []):
        _say(f"{subject}：{note}")
    if pdf:
        try:
            files += to_pdf([f for f in files if f.suffix == ".docx"], out)
        except GenerationError as problem:
            failed = True
            for line in problem.problems:
                _say(f"{problem.subject}：{line}")
    for f in files:
        click.echo(str(f))
    sys.exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def _options(obj: dict, fill_date: dt.datetime | None, publicity_start: dt.datetime | None = None) -> Options:
    return Options(policy=obj["policy"], data_dir=obj["data"], fill_date=fill_date.date() if fill_date else None,
                   publicity_start=publicity_start.date() if publicity_start else None)


@click.group()
def generate() -> None:
    """生成文书：附件1–3、公示名单、季报。"""


def _batch_command(kind: str, help_text: str, publicity: bool = False) -> click.Command:
    @click.option("--batch", "batch", metavar="NAME", required=True, help="批次名称")
    @click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="输出目录")
    @click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF")
    @click.option("--date", "fill_date", type=DATE, default=None,
                  help="填表/落款日期 YYYY-MM-DD（默认：材料上的填表日期，未识别则留空待手写）")
    @click.pass_obj
    def command(obj: dict, batch: str, out: Path, pdf: bool, fill_date: dt.datetime | None,
                publicity_start: dt.datetime | None = None) -> None:
        _run(obj["data"], kind, batch, out, pdf, _options(obj, fill_date, publicity_start))

    if publicity:
        command = click.option("--publicity-start", type=DATE, default=None,
                               help="公示开始日期 YYYY-MM-DD（默认：批次页面设定的公示期）")(command)
    command.__doc__ = help_text
    return generate.command(kind)(command)


_batch_command("attachment1", "附件1 安全技能培训人员花名册（.docx 和 .xlsx）：符合申领补贴条件的学员，完整身份证号。")
_batch_command("attachment2", "附件2 代领安全技能培训补贴协议书：每个班期一份，签字栏留空待学员签字。")
_batch_command("attachment3", "附件3 安全技能培训补贴申请报告：各专业（工种）人数，补贴金额大写和小写。")
_batch_command("publicity", "公示名单（.docx 和 .xlsx）：符合条件的学员，身份证号和手机号遮蔽，公示期。",
               publicity=True)


def _quarter(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    try:
        year, number = quarter_parts(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return f"{year}Q{number}"


@generate.command("quarterly")
@click.option("--quarter", required=True, callback=_quarter, metavar="2020Q2", help="季度")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="输出目录")
@click.option("--pdf", is_flag=True, help="同时生成 PDF")
@click.option("--date", "fill_date", type=DATE, default=None, help="报送日期 YYYY-MM-DD（默认留空待手写）")
@click.pass_obj
def quarterly(obj: dict, quarter: str, out: Path, pdf: bool, fill_date: dt.datetime | None) -> None:
    """季报（.docx 和 .xlsx）：报业务主管部门，按培训机构和专业（工种）统计培训、取证、申领、拨付人数和金额。"""
    _run(obj["data"], "quarterly", quarter, out, pdf, _options(obj, fill_date))
