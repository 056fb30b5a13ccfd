"""`subsidy archive ...`: the archivist's commands (DESIGN.md: pack, verify, search, and what goes with them).

    subsidy archive add --batch NAME            archive a batch (retention date, documents, index)
    subsidy archive search [QUERY] [--name ...] find trainees, certificates, batches; full text of the scans
    subsidy archive ledger (--batch NAME | --year YYYY) --out DIR     the index as .xlsx (台账)
    subsidy archive pack --batch NAME --out DIR one BagIt package per batch
    subsidy archive verify [PATH...]            re-hash the stored originals (and packages); audit chain
    subsidy archive retention [--months N]      what reaches its retention date
    subsidy archive dispose --batch NAME --by ADMIN   an admin's explicit, logged disposal after the date
    subsidy archive restore PACKAGE             a package into a store (an empty one, or one without the batch)

Exit status as for every subcommand: 0 done, 1 something failed or differs (each named on stderr), 2 wrong
usage. Output never carries a full ID or phone number: search prints masked numbers.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def _say(message: str) -> None:
    click.echo(message, err=True)


@contextmanager
def _store(data_dir: Path) -> Iterator:
    from intake.store.db import open_store

    store = open_store(data_dir)
    try:
        yield store
    finally:
        store.close()


def _fail(message: str) -> None:
    _say(message)
    sys.exit(EXIT_SOME_FAILED)


@click.group()
def archive() -> None:
    """存档：索引、存档包、完整性核验、保管期限。"""


@archive.command("add")
@click.option("--batch", "batch_name", metavar="NAME", required=True, help="批次名称")
@click.option("--by", "who", default="cli", show_default=True, help="谁归档")
@click.option("--no-documents", is_flag=True, help="不生成文书")
@click.option("--no-pdf", is_flag=True, help="不生成 PDF/A")
@click.pass_obj
def add(obj: dict, batch_name: str, who: str, no_documents: bool, no_pdf: bool) -> None:
    """归档一个批次：确定保管期限（仅一次），留存其文书，建立（或重建）其索引。"""
    from generators.archive.documents import keep_documents
    from intake.store.archive import ArchiveProblem, archive_batch
    from service.documents import publicity_start

    with _store(obj["data"]) as store, store.session() as session:
        try:
            record = archive_batch(session, batch_name, who, policy=obj["policy"])
        except ArchiveProblem as problem:
            _fail(str(problem))
        notes = [] if no_documents else keep_documents(session, store.data_dir, record, who, policy=obj["policy"],
                                                       pdf=not no_pdf,
                                                       publicity_start=publicity_start(session, batch_name))
        session.commit()
        entries = len(record.batch.claims)
        click.echo(f"{batch_name}: 已归档 {entries} 条，保管期限至 "
                   f"{record.retain_until.isoformat()}，文书 {len(record.documents)} 个")
    for note in notes:
        _say(f"{batch_name}: {note}")
    sys.exit(EXIT_OK)


def _read_secret(value: str) -> str:
    """`-` reads the number from standard input, so it stays out of the shell's history."""
    return sys.stdin.readline().strip() if value == "-" else value


@archive.command("search")
@click.argument("query", required=False, default="")
@click.option("--name", default="", help="姓名（包含）")
@click.option("--id", "id_number", default="", help="身份证号（按密钥哈希精确匹配；- 从标准输入读取）")
@click.option("--cert", "certificate_no", default="", help="证书编号（同上；特种作业证号即身份证号）")
@click.option("--id-suffix", default="", help="身份证号最后 4 至 6 位（按密钥哈希匹配）")
@click.option("--phone-suffix", default="", help="手机号最后 4 至 6 位（按密钥哈希匹配）")
@click.option("--institution", default="", help="培训机构（包含）")
@click.option("--employer", default="", help="单位（包含）")
@click.option("--class", "class_period", default="", help="班期（包含）")
@click.option("--profession", default="", help="专业（工种）（包含）")
@click.option("--batch", default="", help="批次（包含）")
@click.option("--quarter", default="", help="季度，如 2020Q2")
@click.option("--year", default="", help="年度，如 2020")
@click.option("--text", "fulltext", default="", help="全文检索扫描件文字（至少两个字）")
@click.option("--limit", type=int, default=50, show_default=True)
@click.pass_obj
def search(obj: dict, query: str, limit: int, **fields: str) -> None:
    """检索存档索引。QUERY 可以是身份证号或证书编号、姓名、批次、培训机构、季度（2020Q2）、年度，
    或扫描件中的文字（全文检索）。"""
    from intake.store.archive import ArchiveProblem, ArchiveQuery, search_archive
    from intake.store.archive_text import QueryTooShort

    fields["id_number"] = _read_secret(fields["id_number"])
    fields["certificate_no"] = _read_secret(fields["certificate_no"])
    q = ArchiveQuery(text=_read_secret(query), **fields)
    if q.empty():
        _say("请给出检索条件")
        sys.exit(EXIT_USAGE)
    with _store(obj["data"]) as store, store.session() as session:
        try:
            found = search_archive(session, q, limit)
        except (ArchiveProblem, QueryTooShort) as problem:
            _say(str(problem))
            sys.exit(EXIT_USAGE)
    for note in found.notes:
        _say(note)
    for e in found.entries:
        pages = ", ".join(f"{p.get('path')}#{p.get('page_in_file')}" for p in e.pages or [])
        click.echo("\t".join([e.name, e.id_masked or "（未识别）", e.certificate_no_masked, e.profession,
                              e.class_period, e.institution, e.batch, e.quarter, f"保管至{e.retain_until.isoformat()}",
                              pages]))
    for hit in found.pages:
        click.echo(f"[全文] {hit.batch}\t材料{hit.bundle_id} 第{hit.page}页 ({hit.kind})\t{hit.path}\t…{hit.snippet}…")
    _say(f"共 {len(found.entries)} 条记录，{len(found.pages)} 页全文命中")
    sys.exit(EXIT_OK)


@archive.command("ledger")
@click.option("--batch", "batch_name", metavar="NAME", default=None)
@click.option("--year", type=int, default=None)
@click.option("--out", type=click.Path(path_type=Path), required=True)
@click.pass_obj
def ledger_sheet(obj: dict, batch_name: str | None, year: int | None, out: Path) -> None:
    """存档台账（Excel），按批次或按年度。"""
    from generators.archive.ledger import batch_ledger, year_ledger

    if (batch_name is None) == (year is None):
        _say("请给出 --batch 或 --year 之一")
        sys.exit(EXIT_USAGE)
    with _store(obj["data"]) as store, store.session() as session:
        path = batch_ledger(session, batch_name, out) if batch_name else year_ledger(session, year or 0, out)
    click.echo(str(path))
    sys.exit(EXIT_OK)


@archive.command("pack")
@click.option("--batch", "batch_name", metavar="NAME", required=True)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="存档包写入的目录")
@click.option("--by", "who", default="cli", show_default=True)
@click.option("--no-pdf", is_flag=True, help="不生成 PDF/A")
@click.pass_obj
def pack(obj: dict, batch_name: str, out: Path, who: str, no_pdf: bool) -> None:
    """把批次封装为 BagIt 存档包，写到 OUT/<批次>/（尚未归档的先归档）。"""
    from generators.archive.package import PackageProblem, pack_batch
    from intake.store.archive import ArchiveProblem
    from service.documents import publicity_start

    started = time.perf_counter()
    with _store(obj["data"]) as store, store.session() as session:
        try:
            result = pack_batch(session, store.data_dir, batch_name, out, who, policy=obj["policy"], pdf=not no_pdf,
                                publicity_start=publicity_start(session, batch_name))
        except (ArchiveProblem, PackageProblem) as problem:
            session.rollback()
            _fail(str(problem))
        session.commit()
    seconds = time.perf_counter() - started
    for note in result.notes:
        _say(f"{batch_name}: {note}")
    click.echo(str(result.path))
    _say(f"{result.files} 个文件，{result.bytes / 1e6:.1f} MB，{seconds:.1f} 秒")
    sys.exit(EXIT_OK)


@archive.command("verify")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def verify(obj: dict, paths: tuple[Path, ...]) -> None:
    """核验每个原件和存档文书的 SHA-256、审核决定与更正的审计链，以及每个存档包 PATH（一个包或存放多个包的目录）。"""
    from generators.archive.package import find_packages, verify_package
    from intake.store.archive import verify_stored
    from intake.store.audit import verify_chain
    from service import models  # noqa: F401  (registers the service's chained security events)

    problems: list[str] = []
    with _store(obj["data"]) as store, store.session() as session:
        checked, size, stored = verify_stored(session, store.data_dir)
        problems += [str(p) for p in stored]
        chain = verify_chain(session)
        problems += [f"审计链 {p}" for p in chain]
    click.echo(f"原件与文书: {checked} 个文件，{size / 1e6:.1f} MB，{len(stored)} 个不符；"
               f"审计链: {len(chain)} 处问题")
    for path in paths:
        bags = find_packages(path)
        if not bags:
            problems.append(f"{path}: 不是存档包")
        for bag in bags:
            check = verify_package(bag)
            problems += check.problems
            click.echo(f"{bag}: {check.files} 个文件，{len(check.problems)} 个不符")
    for problem in problems:
        _say(problem)
    sys.exit(EXIT_SOME_FAILED if problems else EXIT_OK)


@archive.command("retention")
@click.option("--months", type=int, default=12, show_default=True, help="未来几个月内到期")
@click.pass_obj
def retention(obj: dict, months: int) -> None:
    """列出保管期限在未来 N 个月内到期（或已到期）的批次。不删除任何内容：销毁须由管理员执行
    `subsidy archive dispose`。"""
    from intake.store.archive import retention_report

    with _store(obj["data"]) as store, store.session() as session:
        lines = retention_report(session, months)
    for line in lines:
        state = "已到期，可由管理员销毁" if line.due else "即将到期"
        click.echo("\t".join([line.batch, line.institution, line.quarter, f"归档 {line.archived_at:%Y-%m-%d}",
                              f"保管至 {line.retain_until.isoformat()}", f"{line.entries} 条", state]))
    _say(f"{len(lines)} 个批次在 {months} 个月内到期")
    sys.exit(EXIT_OK)


@archive.command("dispose")
@click.option("--batch", "batch_name", metavar="NAME", required=True)
@click.option("--by", "admin", metavar="ADMIN", required=True, help="执行销毁的管理员账号")
@click.option("--reason", default="", help="销毁依据，记入日志")
@click.option("--yes", is_flag=True, help="确认销毁")
@click.pass_obj
def dispose_command(obj: dict, batch_name: str, admin: str, reason: str, yes: bool) -> None:
    """保管期满后销毁一个已归档批次：由管理员明确执行并记入日志；期满前拒绝（拒绝也记入日志）。
    销毁原件、文书、识别文字、索引和学员的加密号码；申领、审核决定和更正保留（审计链完整）。"""
    from sqlalchemy import select

    from intake.store.archive import DisposalRefused, dispose
    from service.models import User

    with _store(obj["data"]) as store:
        with store.session() as session:
            user = session.scalar(select(User).where(User.name == admin))
            if user is None or user.role != "admin" or not user.active:
                _say(f"{admin}: 不是有效的管理员账号，拒绝销毁")
                sys.exit(EXIT_USAGE)
            if not yes and not click.confirm(f"确认销毁批次 {batch_name} 的原件与个人信息？", err=True):
                sys.exit(EXIT_USAGE)
            try:
                done = dispose(session, store.data_dir, batch_name, admin, reason=reason)
            except DisposalRefused as refused:
                session.commit()  # the refusal is logged
                _fail(str(refused))
            session.commit()
    click.echo(f"{batch_name}: 已销毁 {len(done.files_removed)} 个文件，{done.entries_removed} 条索引，"
               f"{done.trainees_shredded} 名学员的加密号码")
    sys.exit(EXIT_OK)


@archive.command("restore")
@click.argument("package", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--by", "who", default="cli", show_default=True)
@click.pass_obj
def restore(obj: dict, package: Path, who: str) -> None:
    """把存档包恢复到数据库，索引重新指向其记录（保管期限不变）。"""
    from generators.archive.restore import restore_package
    from intake.store.archive import ArchiveProblem

    with _store(obj["data"]) as store, store.session() as session:
        try:
            done = restore_package(session, store.data_dir, package, who, policy=obj["policy"])
        except ArchiveProblem as problem:
            session.rollback()
            _fail(str(problem))
        session.commit()
    click.echo(f"{done.batch}: 已恢复 {done.uploads} 个原件，{done.claims} 条申领，{done.decisions} 条决定，"
               f"{done.corrections} 条更正，索引 {done.entries} 条")
    sys.exit(EXIT_OK)
