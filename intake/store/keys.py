"""Where the store's key comes from, and the fingerprint that tells the right key from a wrong one.

The key is kept outside the database. It is looked for, first found wins, in
  SUBSIDY_KEY          the key itself (urlsafe base64 of 32 bytes) in the environment;
  SUBSIDY_KEY_FILE     a file holding it (on a removable disk, a secrets mount...);
  SUBSIDY_KEY_COMMAND  a command whose standard output is the key: the client of a KMS or a vault, so the
                       key never rests on this machine's disk;
  <data>/secret.key    the default file, created (0600) only for a store that holds nothing yet.

Why a fingerprint: every 32-byte string is a valid AES key, so a wrong key does not fail by itself. It
would seal new rows that the right key cannot open, and its keyed hashes would match no earlier claim, so
the repeat-claim rules would go blind. The store therefore records a fingerprint of its key (table
`store_key`, beside the data on SQLite and PostgreSQL alike) and `check_key` refuses any other key, and a
missing one, before anything is written. The fingerprint is an HMAC under a key derived from the secret
for this purpose only: it reveals nothing about the sealing or hashing keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_ENV = "SUBSIDY_KEY"
KEY_FILE_ENV = "SUBSIDY_KEY_FILE"
KEY_COMMAND_ENV = "SUBSIDY_KEY_COMMAND"
KEY_ENVIRONMENT = (KEY_ENV, KEY_FILE_ENV, KEY_COMMAND_ENV)
KEY_FILE = "secret.key"
SECRET_BYTES = 32
COMMAND_TIMEOUT = 30
HOW_TO_GIVE = ("请用环境变量 SUBSIDY_KEY（密钥本身）、SUBSIDY_KEY_FILE（密钥文件）或 SUBSIDY_KEY_COMMAND"
               "（输出密钥的命令）提供密钥")


class KeyProblem(Exception):
    """The key is missing, malformed, not the store's key, or does not open what was sealed with it.
    The message says so in Chinese and names where the key came from, never the key itself."""


@dataclass(frozen=True)
class Key:
    secret: bytes
    where: str                # for messages: "环境变量 SUBSIDY_KEY", "密钥文件 /x/secret.key", ...
    file: Path | None = None  # the file it was read from, when it was

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.secret)


def fingerprint(secret: bytes) -> str:
    """Hex HMAC-SHA256 under a key derived for this purpose only (HKDF label "key-fingerprint")."""
    check = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"subsidy/key-fingerprint").derive(secret)
    return hmac.new(check, b"subsidy store key", hashlib.sha256).hexdigest()


def short(fingerprint_hex: str) -> str:
    """The part of a fingerprint people compare: 16 hex digits in groups of four (joined by colons, which
    the masking of long numbers in messages leaves alone)."""
    head = fingerprint_hex[:16]
    return ":".join(head[i:i + 4] for i in range(0, 16, 4))


def new_secret() -> bytes:
    return os.urandom(SECRET_BYTES)


def encode(secret: bytes) -> str:
    return base64.urlsafe_b64encode(secret).decode("ascii")


def decode(text: str, where: str) -> bytes:
    try:
        secret = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise KeyProblem(f"{where}：密钥不是 base64 文本 (key is not base64)") from None
    if len(secret) != SECRET_BYTES:
        raise KeyProblem(f"{where}：密钥应为 {SECRET_BYTES} 字节，实为 {len(secret)} 字节 "
                         f"(key must be {SECRET_BYTES} bytes)")
    return secret


def default_key_file(data_dir: Path) -> Path:
    return data_dir / KEY_FILE


def find_key(data_dir: Path) -> Key | None:
    """The key from the first source that is set; None when none is set and the default file is absent."""
    if text := os.environ.get(KEY_ENV, "").strip():
        return Key(decode(text, f"环境变量 {KEY_ENV}"), f"环境变量 {KEY_ENV}")
    if name := os.environ.get(KEY_FILE_ENV, "").strip():
        return read_key_file(Path(name), f"密钥文件 {name}（{KEY_FILE_ENV}）")
    if command := os.environ.get(KEY_COMMAND_ENV, "").strip():
        return Key(decode(_run_key_command(command), f"密钥命令（{KEY_COMMAND_ENV}）"),
                   f"密钥命令（{KEY_COMMAND_ENV}）")
    path = default_key_file(data_dir)
    return read_key_file(path, f"密钥文件 {path}") if path.exists() else None


def read_key_file(path: Path, where: str) -> Key:
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise KeyProblem(f"{where}：文件不存在 (key file not found)") from None
    except (OSError, UnicodeDecodeError) as problem:
        raise KeyProblem(f"{where}：无法读取 (cannot read: {type(problem).__name__})") from None
    return Key(decode(text, where), where, path)


def _run_key_command(command: str) -> str:
    """The command's standard output. Its error output is not repeated: a KMS client may print secrets."""
    try:
        done = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    except (OSError, ValueError) as problem:
        raise KeyProblem(f"密钥命令（{KEY_COMMAND_ENV}）无法运行：{type(problem).__name__}") from None
    except subprocess.TimeoutExpired:
        raise KeyProblem(f"密钥命令（{KEY_COMMAND_ENV}）{COMMAND_TIMEOUT} 秒内没有给出密钥") from None
    if done.returncode != 0:
        raise KeyProblem(f"密钥命令（{KEY_COMMAND_ENV}）失败，退出码 {done.returncode}")
    return done.stdout


def write_key_file(path: Path, secret: bytes) -> None:
    """A new key file, 0600, never over an existing one (a second process that lost the race reads theirs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(encode(secret) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def key_for_new_store(data_dir: Path) -> Key:
    """The given key, or a new one in the default file: only for a store that holds nothing yet."""
    found = find_key(data_dir)
    if found is not None:
        return found
    path = default_key_file(data_dir)
    try:
        write_key_file(path, new_secret())
    except FileExistsError:
        pass
    return read_key_file(path, f"密钥文件 {path}")


def check_key(key: Key | None, recorded: str, data_dir: Path) -> Key:
    """The key when it is the store's; otherwise KeyProblem saying which key is wanted and where to put it."""
    if key is None:
        raise KeyProblem(f"找不到数据目录 {data_dir} 的密钥（数据已用指纹为 {short(recorded)} 的密钥加密）。"
                         f"{HOW_TO_GIVE}，或把密钥文件放回 {default_key_file(data_dir)}。未做任何改动。"
                         f" (no key found; nothing was changed)")
    if not hmac.compare_digest(key.fingerprint, recorded):
        raise KeyProblem(f"密钥不符：数据目录 {data_dir} 的数据用指纹为 {short(recorded)} 的密钥加密，"
                         f"而{key.where}的指纹是 {short(key.fingerprint)}。请提供正确的密钥；未做任何改动。"
                         f" (wrong key; nothing was changed)")
    return key
