"""`subsidy key ...`: the store's key (keys.py): its fingerprint, and rotating it (key_rotation.py).

    subsidy key fingerprint            the fingerprint of the key given now and of the store's key
    subsidy key rotate [--new-key-file FILE]   re-seal and re-hash everything under a new key; resumable

Exit status as for every subcommand: 0 done, 1 something failed (named on stderr), 2 wrong usage or a key
the store refuses. The key itself is never printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


@click.group()
def key() -> None:
    """数据密钥：指纹与轮换 (the data key: fingerprint and rotation)."""


@key.command("fingerprint")
@click.pass_obj
def show_fingerprint(obj: dict) -> None:
    """Print the fingerprint of the store's key (after checking that the key given is that key)."""
    from intake.store.db import open_store
    from intake.store.keys import short

    store = open_store(obj["data"])
    try:
        click.echo(f"密钥指纹 (key fingerprint): {short(store.key.fingerprint)}  [{store.key.where}]")
    finally:
        store.close()
    sys.exit(EXIT_OK)


@key.command("rotate")
@click.option("--new-key-file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="新密钥文件（例如由 KMS 写出）；不给则在数据目录生成 secret.key.next")
@click.pass_obj
def rotate_command(obj: dict, new_key_file: Path | None) -> None:
    """Re-seal and re-hash everything under a new key (resumable: run it again after an interruption).
    Stop the web service and workers first; the store refuses every other command until it is done."""
    from intake.store.keys import short
    from service.key_rotation import RotationProblem, rotate

    try:
        report = rotate(obj["data"], new_key_file, say=lambda m: click.echo(f"  {m}", err=True))
    except RotationProblem as problem:
        click.echo(str(problem), err=True)
        sys.exit(EXIT_SOME_FAILED)
    if report.old_fingerprint != report.new_fingerprint:
        moved = "，".join(f"{name} {n}" for name, n in report.rows.items() if n)
        click.echo(f"密钥已轮换{'（续做）' if report.resumed else ''}：{short(report.old_fingerprint)} -> "
                   f"{short(report.new_fingerprint)}" + (f"；{moved}" if moved else ""))
    for note in report.notes:
        click.echo(note, err=True)
    sys.exit(EXIT_OK)
