"""The `subsidy` command (DESIGN.md, "contract: the command line").

Exit status: 0 all done, 1 some input failed (the rest was still done, each failure named on
stderr), 2 wrong usage — a wrong or missing key included: it is refused before anything is done.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from intake.store.keys import KeyProblem
from ocr.engines import DEFAULT_ENGINE, ENGINES, EngineUnavailable
from service import (
    archive_commands,
    backup_commands,
    batch_commands,
    generate_commands,
    key_commands,
    store_commands,
    web_commands,
)

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def data_dir(value: str | None) -> Path:
    return Path(value or os.environ.get("SUBSIDY_DATA") or "subsidy-data")


def say(message: str) -> None:
    """A message on stderr, long numbers masked: it may quote a page and end up in someone's log file."""
    from intake.store.personal import mask_numbers

    click.echo(mask_numbers(message), err=True)


class Commands(click.Group):
    """Every subcommand: a missing part of the install is named with its fix, a key problem is one clear
    message — never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except EngineUnavailable as missing:
            say(str(missing))
            ctx.exit(EXIT_SOME_FAILED)
        except KeyProblem as problem:
            say(str(problem))
            sys.exit(EXIT_USAGE)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data", metavar="DIR", default=None,
              help="数据目录（默认 $SUBSIDY_DATA 或 ./subsidy-data）")
@click.pass_context
def main(ctx: click.Context, data: str | None) -> None:
    """滨州市安全技能培训补贴：扫描件识别与文书生成。"""
    from intake.policy.policy import default_policy

    # The subsidy's rules are read here, once, and handed to every command that decides or generates.
    ctx.obj = {"data": data_dir(data), "policy": default_policy()}


@main.command()
@click.argument("bundle", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "json_out", metavar="OUT", type=click.Path(path_type=Path),
              help="识别结果（bundle-result/1 JSON）写到这里；多份材料时为目录；身份证号、手机号默认打码")
@click.option("--full", is_flag=True, help="--json 文件中写完整身份证号和手机号（须 --by；记入日志）")
@click.option("--by", "by", metavar="USER", default=None,
              help="要求 --full 的账号：须为可查看完整号码的角色（审核员、档案员）")
@click.option("--records", "records_file", metavar="RECORDS", type=click.Path(path_type=Path),
              help="班期学员信息表（.xlsx/.xls/.csv），与纸质材料逐人核对")
@click.option("--batch", metavar="NAME", default=None,
              help="同时存入此批次（没有则新建），并对照已有批次和台账判定是否符合条件")
@click.option("--engine", type=click.Choice(sorted(ENGINES)), default=DEFAULT_ENGINE, show_default=True,
              help="识别引擎")
@click.option("--workers", type=int, default=None, help="并行识别的页数（默认每个 CPU 核一页）")
@click.option("--quiet", is_flag=True, help="不显示进度")
@click.option("--debug", "debug_dir", metavar="DIR", type=click.Path(path_type=Path), default=None,
              help="每页一张排查图（表格线、单元格、文字行）写入此目录；图中含个人信息，用后删除")
@click.pass_obj
def intake(obj: dict, bundle: tuple[Path, ...], json_out: Path | None, records_file: Path | None,
           batch: str | None, engine: str, workers: int | None, quiet: bool, debug_dir: Path | None,
           full: bool = False, by: str | None = None) -> None:
    """识别扫描材料（PDF、按页序的图片、TIFF），写出识别结果 JSON（bundle-result/1）。"""
    from intake.bundle import read_bundle
    from intake.records import read_records
    from intake.workers import PageReaderPool
    from ocr.errors import InputProblem
    from ocr.sources import group_bundles

    missing = [p for p in bundle if not p.exists()]
    for p in missing:
        say(f"{p}: 文件不存在")
    groups = group_bundles([p for p in bundle if p.exists()])
    failed = bool(missing)
    records = None
    if records_file is not None:
        try:
            records = read_records(records_file)
        except (InputProblem, OSError) as problem:
            say(f"{records_file.name}: {problem}" if isinstance(problem, OSError) else str(problem))
            failed = True
    if full and json_out is None:
        say("--full 只用于 --json 写出的文件 (--full applies to the --json file)")
        sys.exit(EXIT_USAGE)
    # The key is checked before the first page is read: a wrong or missing one stops here, nothing written.
    store = open_intake_store(obj["data"]) if batch or full else None
    if full:
        full_reader(store, by)
    if store is not None:
        sweep(store)
    with PageReaderPool(engine, workers) as pool, _closing(store):
        for files in groups:
            if batch and (elsewhere := owned_elsewhere(store, files, batch)):
                say(elsewhere)  # checked before reading: a bundle is never moved out of its batch
                failed = True
                continue
            progress = None if quiet else _progress_printer(files[0].name)
            result = read_bundle(files, pool, progress, records=records, debug_in=debug_dir, policy=obj["policy"])
            try:
                decide(result, files, store, batch, obj["policy"])
            except Exception as problem:  # the reading is still written out; the store said no
                say(f"{result.source}: 未能存入数据库（{type(problem).__name__}：{problem}）")
                failed = True
            for problem in result.problems:
                say(problem)
            failed = failed or bool(result.problems)
            out = _json_path(json_out, files[0], multiple=len(groups) > 1)
            if out is not None:
                write_result(result, out, store if full else None, by)
            where = f" -> {out}" if out else ""
            say(f"{result.source}: {len(result.pages)} 页, {len(result.trainees)} 名学员{where}")
    sys.exit(EXIT_SOME_FAILED if failed else EXIT_OK)


FULL_RESULT_ROLES = ("reviewer", "archivist")


def full_reader(store, name: str | None) -> None:  # type: ignore[no-untyped-def]
    """Refuse --full (exit 2) unless NAME is an active account of a role that may see full numbers."""
    from sqlalchemy import select

    from service.models import User

    with store.session() as session:
        user = session.scalar(select(User).where(User.name == (name or ""))) if name else None
    if user is None or not user.active or user.role not in FULL_RESULT_ROLES:
        store.close()
        say(f"--full 需要 --by 指定审核员或档案员账号；{name or '（未指定）'} 不能查看完整号码 "
            f"(--full needs --by an active reviewer or archivist)")
        sys.exit(EXIT_USAGE)


def write_result(result, out: Path, store, by: str | None) -> None:  # type: ignore[no-untyped-def]
    """bundle-result/1 at `out`, 0600: masked, or in full for `by` with every number shown logged (store)."""
    from intake.store.personal import mask_personal

    data = result.to_json()
    if store is None:
        data = mask_personal(data)
    else:
        _log_full_numbers(store, data, by or "", out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, indent=2))


def _log_full_numbers(store, data: dict, who: str, out: Path) -> None:  # type: ignore[no-untyped-def]
    from intake.store.models import AccessLog
    from intake.store.registry import trainee_by_id_number

    with store.session() as session:
        for trainee in data.get("trainees", []):
            number = str(trainee.get("id_number") or "")
            if not number:
                continue
            found = trainee_by_id_number(session, number)
            session.add(AccessLog(who=who, trainee_id=found.id if found else None,
                                  id_hash=store.cipher.id_hash(number), purpose=f"intake --full -> {out.name}"))
        session.commit()


def open_intake_store(data: Path):  # type: ignore[no-untyped-def]
    """The store intake writes to (the service's tables too: the review form's witnesses)."""
    from intake.store.db import open_store

    return open_store(data)


@contextmanager
def _closing(store) -> Iterator[None]:  # type: ignore[no-untyped-def]
    try:
        yield
    finally:
        if store is not None:
            store.close()


def sweep(store) -> None:  # type: ignore[no-untyped-def]
    """Originals that an intake killed before its commit left without rows, and temporary files."""
    from intake.store.uploads import sweep_orphans

    with store.session() as session:
        for path in sweep_orphans(session, store.data_dir):
            say(f"已清除中断的录入留下的文件 (removed what an interrupted intake left): {path.name[:12]}…")


def owned_elsewhere(store, files: list[Path], batch: str) -> str:  # type: ignore[no-untyped-def]
    from intake.store.bundles import BundleElsewhere, refuse_if_elsewhere
    from intake.store.uploads import sha256_of

    with store.session() as session:
        try:
            refuse_if_elsewhere(session, [sha256_of(f) for f in files], batch, files[0].name)
        except BundleElsewhere as problem:
            return str(problem)
    return ""


def decide(result, files: list[Path], store, batch: str | None, policy) -> None:  # type: ignore[no-untyped-def]
    """Flags and eligibility: against every stored batch and the ledger when a batch is named (the bundle
    is stored too), else against the bundle alone. A bundle none of whose pages could be read is refused:
    it is not stored and makes no batch."""
    from intake.policy.eligibility import apply_rules_to_result
    from intake.store.bundles import claim_date_of, record_bundle
    from service.review.evidence import keep_evidence

    if batch is None:
        apply_rules_to_result(result, claim_date_of(result.to_json()), policy)
        return
    if not result.pages:
        say(f"{result.source}: 没有可读的页面，未存入批次 {batch} (nothing readable: not stored)")
        apply_rules_to_result(result, claim_date_of(result.to_json()), policy)
        return
    with store.session() as session:
        saved = record_bundle(session, store.data_dir, files, result, batch, policy=policy)
        # The witnesses (values, confidences, boxes) stay with each claim for the review form.
        keep_evidence(session, saved, result)
        session.commit()


def _json_path(json_out: Path | None, first: Path, multiple: bool) -> Path | None:
    if json_out is None:
        return None
    if multiple or json_out.is_dir():
        return json_out / f"{first.stem}.json"
    return json_out


def _progress_printer(name: str):
    def progress(done: int, message: str) -> None:
        say(f"  [{done}] {message}")
    return progress


@main.command()
@click.option("--bundle", "bundle_file", type=click.Path(path_type=Path), default=None,
              help="演示用的扫描材料（默认随软件附带的 5 名学员的材料）")
@click.option("--no-serve", is_flag=True, help="识别入库后即结束，不启动网页服务（供脚本使用）")
@click.option("--port", type=int, default=8000, show_default=True, help="演示网页服务的端口")
@click.pass_context
def demo(ctx: click.Context, bundle_file: Path | None, no_serve: bool, port: int) -> None:
    """识别一份演示材料并入库，启动网页服务（显示演示账号）。"""
    from service.demo import BUNDLE

    bundle_file = bundle_file or BUNDLE
    out = ctx.obj["data"] / "demo"
    out.mkdir(parents=True, exist_ok=True)
    say(f"演示材料：{bundle_file}")
    status = 0
    try:
        ctx.invoke(intake, bundle=(bundle_file,), json_out=out / "result.json", records_file=None,
                   batch="演示批次", engine=DEFAULT_ENGINE, workers=None, quiet=False)
    except SystemExit as done:  # intake ends with its exit status; the demo goes on to serve
        status = done.code or 0
    for name, password in web_commands.ensure_demo_users(ctx.obj["data"]).items():
        say(f"演示账号: {name} / {password}")
    if no_serve:
        sys.exit(status)
    ctx.invoke(web_commands.serve, host="127.0.0.1", port=port, no_worker=False)


@main.command()
@click.pass_obj
def doctor(obj: dict) -> None:
    """检查安装 (check every part this installation needs; exit 1 names what is missing and the fix)."""
    from service.doctor import run_checks
    from service.settings import Settings

    findings = run_checks(Settings.from_env(obj["data"]))
    for finding in findings:
        click.echo(finding.line())
    sys.exit(EXIT_OK if all(f.ok for f in findings) else EXIT_SOME_FAILED)


main.add_command(store_commands.ledger)
main.add_command(store_commands.records)
main.add_command(store_commands.institutions)
main.add_command(generate_commands.generate)
main.add_command(web_commands.serve)
main.add_command(web_commands.worker)
main.add_command(web_commands.users)
main.add_command(archive_commands.archive)
main.add_command(batch_commands.batch)
main.add_command(key_commands.key)
main.add_command(backup_commands.backup_command)
main.add_command(backup_commands.restore_command)


if __name__ == "__main__":
    main()
