"""`subsidy key ...`: the store's key (keys.py): its fingerprint, and rotating it (key_rotation.py).

    subsidy key fingerprint            the fingerprint of the key given now and of the store's key
    subsidy key rotate [--new-key-file FILE]   re-seal and re-hash everything under a new key; resumable

Exit status as for every subcommand: 0 done, 1 something failed (named on stderr), 2 wrong usage or a key
the store refuses. The key itself is never printed.
"""

from __future__ import annotations

import sys

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
