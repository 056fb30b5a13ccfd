"""`subsidy backup --out DIR` and `subsidy restore BACKUP` (into the --data folder, which must be empty).

Exit status as for every subcommand: 0 done (restore: and every check passed), 1 the backup or restore
failed or a check found a problem (each named on stderr), 2 wrong usage or a key the backup refuses.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


@click.command("backup")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="备份写入的目录（不要与密钥放在一起）")
@click.pass_obj
def backup_command(obj: dict, out: Path) -> None:
    """Back the data folder up while the service runs: database snapshot, originals, documents, manifest.
    The key is not in it: keep the key apart."""
    from service.backup import BackupProblem, backup, describe

    try:
        path = backup(obj["data"], out)
    except BackupProblem as problem:
        click.echo(str(problem), err=True)
        sys.exit(EXIT_SOME_FAILED)
    click.echo(str(path))
    click.echo(describe(path), err=True)
    sys.exit(EXIT_OK)


@click.command("restore")
@click.argument("backup_dir", metavar="BACKUP", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--key-file", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="备份所用的密钥文件（复制为新数据目录的 secret.key）；或用 SUBSIDY_KEY 等提供")
@click.pass_obj
def restore_command(obj: dict, backup_dir: Path, key_file: Path | None) -> None:
    """Restore a backup into the (empty) --data folder and check everything against the manifest."""
    from service.backup import BackupProblem, restore

    try:
        done = restore(backup_dir, obj["data"], key_file=key_file)
    except BackupProblem as problem:
        click.echo(str(problem), err=True)
        sys.exit(EXIT_SOME_FAILED)
    click.echo(f"已恢复到 {obj['data']}：{done.files} 个文件，" + "，".join(f"{t} {n}" for t, n in done.counts.items()))
    for problem in done.problems:
        click.echo(problem, err=True)
    click.echo("核验通过 (all checks passed)" if not done.problems else f"{len(done.problems)} 处不符", err=True)
    sys.exit(EXIT_SOME_FAILED if done.problems else EXIT_OK)
