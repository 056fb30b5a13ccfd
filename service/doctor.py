"""`subsidy doctor`: is every part this installation needs there and working? Each finding in Chinese, with
the fix for what is not.

The checks only look: no key is created, no schema upgraded, no queue file made, so a doctor run on a
broken installation leaves it exactly as it found it. Each check is a function of the settings that
returns one Finding; one that breaks in an unforeseen way becomes a failed finding, never a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from service.settings import Settings

# The words a roster prints and a few name characters: the document font must draw them all.
FONT_SAMPLE = "安全技能培训人员花名册单位名称盖章身份证号专业工种证书编号欧阳娜堃喆燚犇淼玥珺昇曌䶮0123456789X"
SQLITE_PREFIX = "sqlite:///"


@dataclass(frozen=True, slots=True)
class Finding:
    part: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        if self.ok:
            return f"[正常] {self.part}：{self.detail}"
        return f"[缺失] {self.part}：{self.detail}\n       解决办法：{self.fix}"


def check_tesseract(settings: Settings) -> Finding:
    from ocr.engines import EngineUnavailable
    from ocr.engines.tesseract import LANG, check_tesseract

    part = "Tesseract 与中文模型"
    try:
        check_tesseract()
    except EngineUnavailable as missing:
        return Finding(part, False, missing.reason, missing.fix)
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30).stdout
    return Finding(part, True, f"{version.splitlines()[0] if version else 'tesseract'}，含 {LANG}")


def check_onnx_models(settings: Settings) -> Finding:
    from ocr.engines import EngineUnavailable
    from ocr.engines.rapid import RapidOcrEngine

    part = "RapidOCR 的 ONNX 模型"
    try:
        engine = RapidOcrEngine(threads=1)
        # Loading is not enough: one recognition proves the runtime can execute the graph.
        engine.read_lines([np.full((32, 96, 3), 255, np.uint8)])
    except EngineUnavailable as missing:
        return Finding(part, False, missing.reason, missing.fix)
    names = ", ".join(p.name for p in engine.models.files())
    return Finding(part, True, f"{engine.models.version} 已加载 ({names})")


def check_fonts(settings: Settings) -> Finding:
    from generators.base import load_settings
    from generators.fonts import FONTS_CONF, lacking, matched_font

    part = "生成文书的中文字体"
    fix = "apt-get install -y fonts-noto-cjk"
    family = load_settings().render_font
    found = matched_font(family, FONTS_CONF)
    if found is None:
        return Finding(part, False, "找不到 fontconfig (fc-match) 或任何字体", f"apt-get install -y fontconfig; {fix}")
    path, families = found
    if family not in families:
        return Finding(part, False, f"{FONTS_CONF.name} 指定的 {family} 未安装（只找到 {path.name}）", fix)
    if missing := lacking(FONT_SAMPLE, path, family):
        return Finding(part, False, f"{family} ({path}) 缺少字形：{missing}", fix)
    return Finding(part, True, f"{family} ({path})")


def check_libreoffice(settings: Settings) -> Finding:
    from generators.pdf import INSTALL_HINT, soffice

    part = "LibreOffice（生成 PDF）"
    exe = soffice()
    if exe is None:
        return Finding(part, False, "未安装 soffice：Word 文件照常生成，PDF 不能生成", INSTALL_HINT)
    try:
        with tempfile.TemporaryDirectory(prefix="subsidy-doctor-") as home:
            done = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60,
                                  env={**os.environ, "HOME": home})
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Finding(part, False, f"{exe} 无法运行 ({type(exc).__name__})", INSTALL_HINT)
    if done.returncode != 0:
        return Finding(part, False, f"{exe} --version 失败：{done.stderr.strip()[-200:]}", INSTALL_HINT)
    return Finding(part, True, done.stdout.strip().splitlines()[0] if done.stdout.strip() else exe)


def check_data_folder(settings: Settings) -> Finding:
    part = "数据目录可写"
    data = settings.data_dir
    fix = f"用 --data 或 SUBSIDY_DATA 指向一个可写的目录，或让运行 subsidy 的用户能写 {data}"
    probe_in = data if data.exists() else _nearest_existing(data)
    if not probe_in.is_dir():
        return Finding(part, False, f"{probe_in} 不是目录", fix)
    try:
        with tempfile.NamedTemporaryFile(dir=probe_in, prefix=".subsidy-doctor-"):
            pass
    except OSError as exc:
        return Finding(part, False, f"{probe_in} 不可写 ({exc.strerror or exc})", fix)
    return Finding(part, True, str(data) if data.exists() else f"{data}（尚未创建，首次使用时建立）")


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_key(settings: Settings) -> Finding:
    from intake.store.crypto import FieldCipher
    from intake.store.keys import HOW_TO_GIVE, KeyProblem, default_key_file, find_key
    from intake.store.keys import check_key as key_matches

    part = "加密密钥"
    key_file = default_key_file(settings.data_dir)
    restore = f"从备份恢复 {key_file}，或{HOW_TO_GIVE}"
    try:
        key = find_key(settings.data_dir)
    except (KeyProblem, OSError, UnicodeDecodeError) as exc:
        return Finding(part, False, f"密钥无法读取：{exc}", restore)
    where = key.where if key is not None else str(key_file)
    try:
        recorded = _recorded_fingerprint(settings)
        sealed = _one_sealed_value(settings)
    except Exception as exc:  # noqa: BLE001 - an unreachable database is the database check's finding
        found = where if key is not None else "尚无密钥"
        return Finding(part, True, f"{found}（数据库不可用，未能与数据核对：{type(exc).__name__}）")
    if recorded is not None:
        if key is None:
            return Finding(part, False, "数据库中有加密数据，但找不到密钥", restore)
        try:
            key_matches(key, recorded, settings.data_dir)
        except KeyProblem as exc:
            return Finding(part, False, str(exc), restore)
        return Finding(part, True, f"{where}，与数据库中的数据相符（密钥指纹一致）")
    if key is None:
        if sealed is not None:
            return Finding(part, False, "数据库中有加密数据，但找不到密钥", restore)
        return Finding(part, True, f"尚无密钥，首次存入数据时生成于 {key_file}（请另行备份）")
    if sealed is None:
        return Finding(part, True, f"{where}（数据库中尚无加密数据）")
    field, token, id_hash = sealed
    cipher = FieldCipher(key.secret)
    try:
        number = cipher.open(token, field)
    except KeyProblem:
        return Finding(part, False, f"{where} 与数据库中的数据不符：加密字段无法解开", restore)
    if number is None or cipher.id_hash(number) != id_hash:
        return Finding(part, False, f"{where} 与数据库中的数据不符：身份证号的散列值不同", restore)
    return Finding(part, True, f"{where}，与数据库中的数据相符")


def _recorded_fingerprint(settings: Settings) -> str | None:
    from intake.store.db import recorded_key

    engine = _existing_database(settings)
    if engine is None:
        return None
    try:
        found = recorded_key(engine)
    finally:
        engine.dispose()
    return found.fingerprint if found is not None else None


def _one_sealed_value(settings: Settings) -> tuple[str, bytes, str] | None:
    """A sealed ID number with its keyed hash (a trainee's, else a ledger row's); None if there is none yet."""
    from sqlalchemy import select

    from intake.store.models import PriorClaim, Trainee

    engine = _existing_database(settings)
    if engine is None:
        return None
    try:
        with engine.connect() as conn:
            for model, field in ((Trainee, "trainee.id_number"), (PriorClaim, "prior_claim.id_number")):
                row = conn.execute(select(model.id_number_enc, model.id_hash)
                                   .where(model.id_number_enc.is_not(None)).limit(1)).first()
                if row is not None:
                    return field, row[0], row[1]
    finally:
        engine.dispose()
    return None


def _existing_database(settings: Settings):
    """An engine on the configured database, or None for an SQLite file not made yet (connecting would make it)."""
    from intake.store.db import make_engine

    url = settings.database_url
    if url.startswith(SQLITE_PREFIX) and not Path(url[len(SQLITE_PREFIX):]).exists():
        return None
    return make_engine(url)


def check_database(settings: Settings) -> Finding:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    from intake.store.db import LEGACY_SERVICE_VERSIONS, MIGRATIONS

    part = "数据库"
    shown = _url_without_password(settings.database_url)
    upgrade = "任一打开数据库的命令（如 subsidy users list）会自动升级到最新结构"
    engine = _existing_database(settings)
    if engine is None:
        return Finding(part, True, f"{shown}（尚未创建，首次使用时建立）")
    behind = []
    try:
        with engine.connect() as conn:
            heads = set(ScriptDirectory(str(MIGRATIONS)).get_heads())
            current = set(MigrationContext.configure(conn).get_current_heads())
            if current != heads:
                behind.append(f"alembic_version {','.join(sorted(current)) or '空'} ≠ {','.join(sorted(heads))}")
            if inspect(conn).has_table(LEGACY_SERVICE_VERSIONS):
                behind.append(f"{LEGACY_SERVICE_VERSIONS}（旧的第二套迁移记录，升级时并入）")
    except Exception as exc:  # noqa: BLE001 - drivers raise their own types
        return Finding(part, False, f"{shown} 无法连接 ({type(exc).__name__})",
                       "检查 SUBSIDY_DATABASE_URL，确认数据库服务已启动、账号可登录")
    finally:
        engine.dispose()
    if behind:
        return Finding(part, False, f"{shown} 未升级到最新结构：{'; '.join(behind)}", upgrade)
    return Finding(part, True, f"{shown}，结构为最新")


def _url_without_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def check_queue(settings: Settings) -> Finding:
    part = "任务队列"
    if settings.queue_backend == "redis":
        import redis

        shown = _url_without_password(settings.queue_url) if "@" in settings.queue_url else settings.queue_url
        try:
            redis.Redis.from_url(settings.queue_url, socket_timeout=5, socket_connect_timeout=5).ping()
        except redis.RedisError as exc:
            return Finding(part, False, f"Redis {shown} 无法连接 ({type(exc).__name__})",
                           "检查 SUBSIDY_QUEUE_URL，确认 Redis 已启动（apt-get install -y redis-server）")
        return Finding(part, True, f"Redis {shown}")
    queue = settings.queue_file
    if not queue.exists():
        writable = check_data_folder(settings)
        if not writable.ok:
            return Finding(part, False, f"SQLite 队列 {queue} 无法建立：{writable.detail}", writable.fix)
        return Finding(part, True, f"SQLite {queue}（尚未创建，首次使用时建立）")
    try:
        with sqlite3.connect(f"{queue.resolve().as_uri()}?mode=ro", uri=True, timeout=10) as conn:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as exc:
        return Finding(part, False, f"SQLite 队列 {queue} 无法打开 ({exc})",
                       f"停止 subsidy serve/worker 后删除 {queue}（排队中的任务会由看门狗重新排队）")
    if verdict != "ok":
        return Finding(part, False, f"SQLite 队列 {queue} 已损坏 ({verdict})",
                       f"停止 subsidy serve/worker 后删除 {queue}（排队中的任务会由看门狗重新排队）")
    return Finding(part, True, f"SQLite {queue}")


CHECKS: tuple[Callable[[Settings], Finding], ...] = (
    check_tesseract, check_onnx_models, check_fonts, check_libreoffice, check_data_folder, check_key,
    check_database, check_queue,
)


def run_checks(settings: Settings, checks: tuple[Callable[[Settings], Finding], ...] = CHECKS) -> list[Finding]:
    findings = []
    for check in checks:
        try:
            findings.append(check(settings))
        except Exception as exc:  # noqa: BLE001 - the doctor reports; it never dies of what it examines
            findings.append(Finding(check.__name__.removeprefix("check_"), False,
                                    f"检查时出错 ({type(exc).__name__}: {exc})", "请把这一行报告给管理员"))
    return findings
