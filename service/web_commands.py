"""`subsidy serve`, `subsidy worker` and `subsidy users`: the web service from the command line.

`serve` runs the web app and, beside it, one `subsidy worker` child process (the embedded default:
SQLite queue in the data folder); with Redis configured (SUBSIDY_QUEUE_URL) the same `subsidy worker`
runs on as many other machines as wanted, and `serve --no-worker` leaves the reading to them.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import click

from ocr.engines import DEFAULT_ENGINE, EngineUnavailable, check_engine
from service.settings import ROLES, Settings

DEMO_USERS = {"demo-clerk": "clerk", "demo-reviewer": "reviewer", "demo-officer": "officer",
              "demo-archivist": "archivist", "demo-admin": "admin"}


def _settings(obj: dict) -> Settings:
    return Settings.from_env(obj["data"])


def _say(message: str) -> None:
    click.echo(message, err=True)


def start_worker_process(data: Path) -> subprocess.Popen:
    """The embedded worker: a child `subsidy worker` with the same data folder and environment."""
    return subprocess.Popen([sys.executable, "-m", "service.cli", "--data", str(data), "worker", "--exit-with-parent"],
                            start_new_session=True)


def stop_worker_process(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    try:
        os.killpg(worker.pid, signal.SIGTERM)  # the consumer and its OCR processes, by group
        worker.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def run_server(settings: Settings, host: str, port: int, with_worker: bool) -> None:
    import uvicorn

    from service.app import create_app
    from service.db import open_service_store
    from service.logs import uvicorn_log_config
    from service.users import all_users

    store = open_service_store(settings)
    with store.session() as session:
        no_users = not all_users(session)
    store.close()
    app = create_app(settings)
    try:
        check_engine(settings.engine or DEFAULT_ENGINE)
    except EngineUnavailable as missing:  # the archive and review still work; uploads wait in the queue
        _say(f"{missing}（上传的材料会排队，装好后由 subsidy worker 识别）")
        with_worker = False
    worker = start_worker_process(settings.data_dir) if with_worker else None
    click.echo(f"subsidy: http://{host}:{port}/  (数据目录 {settings.data_dir}; 队列 {settings.queue_backend})",
               err=True)
    if no_users:
        _say("还没有任何用户：先运行 subsidy users add NAME --role admin")
    try:
        uvicorn.run(app, host=host, port=port, log_config=uvicorn_log_config(), access_log=True)
    finally:
        if worker is not None:
            stop_worker_process(worker)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（默认仅本机）")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--no-worker", is_flag=True, help="不启动内置识别进程（识别进程在别处运行）")
@click.pass_obj
def serve(obj: dict, host: str, port: int, no_worker: bool) -> None:
    """启动网页服务（及其识别进程），显示访问地址。"""
    run_server(_settings(obj), host, port, with_worker=not no_worker)


def _exit_with_parent() -> None:
    """uvicorn re-raises SIGTERM after its shutdown, so `serve` may die before stopping its worker; the
    embedded worker therefore watches its parent and stops itself (a SIGTERM stops the Huey consumer)."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


@click.command()
@click.option("--exit-with-parent", is_flag=True, hidden=True, help="启动它的进程结束时随之结束")
@click.pass_obj
def worker(obj: dict, exit_with_parent: bool) -> None:
    """单独运行一个识别进程（识别上传的材料）；多个进程可共用一个 Redis 队列。"""
    from service.jobs import run_worker
    from service.logs import install

    install()
    if exit_with_parent:
        _exit_with_parent()
    settings = _settings(obj)
    check_engine(settings.engine or DEFAULT_ENGINE)  # a worker without its engine would fail every job
    run_worker(settings, on_ready=lambda: _say(
        f"subsidy worker: 队列 {settings.queue_backend}, {settings.worker_processes} 个识别进程, "
        f"每 {settings.worker_max_jobs} 个任务后重启"))


@click.group()
def users() -> None:
    """网页服务的用户账号。"""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（供脚本使用）")
@click.pass_obj
def users_add(obj: dict, name: str, role: str, password_stdin: bool) -> None:
    """新建账号（提示输入密码，或从标准输入读取）。"""
    from service.db import open_service_store
    from service.users import UserProblem, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt=True)
    store = open_service_store(_settings(obj))
    try:
        with store.session() as session:
            add_user(session, name, role, password)
    except UserProblem as problem:
        _say(str(problem))
        sys.exit(2)
    finally:
        store.close()
    _say(f"已创建用户 {name}（{role}）")


@users.command("list")
@click.pass_obj
def users_list(obj: dict) -> None:
    """列出账号。"""
    from service.db import open_service_store
    from service.users import all_users

    store = open_service_store(_settings(obj))
    with store.session() as session:
        for u in all_users(session):
            click.echo(f"{u.name}\t{u.role}\t{'启用' if u.active else '停用'}")
    store.close()


def ensure_demo_users(data: Path) -> dict[str, str]:
    """Demo accounts, one per role, with fresh random passwords for those created now (printed once)."""
    from service.db import open_service_store
    from service.users import add_user, all_users

    store = open_service_store(Settings.from_env(data))
    created = {}
    try:
        with store.session() as session:
            existing = {u.name for u in all_users(session)}
            for name, role in DEMO_USERS.items():
                if name not in existing:
                    password = os.environ.get("SUBSIDY_DEMO_PASSWORD") or secrets.token_urlsafe(9)
                    add_user(session, name, role, password)
                    created[name] = password
    finally:
        store.close()
    return created
