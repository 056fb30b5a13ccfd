"""Documents to PDF through LibreOffice headless, with the CJK fonts embedded (LibreOffice's default).

Each conversion runs with a throw-away user profile (-env:UserInstallation), so it neither waits for nor
disturbs a LibreOffice a user has open, and with fonts.conf as its fontconfig, so 宋体 prints in a Chinese
serif. A missing LibreOffice is a clear message naming the package, never a traceback; a hung one is
killed (its whole process group) after the timeout.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from generators.base import GenerationError
from generators.fonts import FONTS_CONF

INSTALL_HINT = "apt-get install -y --no-install-recommends libreoffice-writer-nogui"


class PdfUnavailable(GenerationError):
    """LibreOffice is not installed: the .docx files were written, the PDFs cannot be."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


PDF_EXPORT = "pdf:writer_pdf_Export"
# PDF/A-2b for the archive (ISO 19005-2): fonts embedded, no external dependencies, readable for decades.
PDFA_EXPORT = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def to_pdf(files: Sequence[Path], out_dir: Path, timeout: float = 300, export_filter: str = PDF_EXPORT) -> list[Path]:
    """Convert .docx files to PDFs in out_dir (one LibreOffice start for all of them)."""
    exe = soffice()
    if exe is None:
        raise PdfUnavailable("PDF", [f"未找到 LibreOffice（soffice），无法生成 PDF；已生成的 Word 文件不受影响。"
                                     f"安装：{INSTALL_HINT}"])
    if not files:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="subsidy-soffice-") as profile:
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": profile}
        command = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                   "--nologo", "--convert-to", export_filter, "--outdir", str(out_dir),
                   *[str(f) for f in files]]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                   start_new_session=True)
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise GenerationError("PDF", [f"LibreOffice 超过 {timeout:.0f} 秒未完成转换"]) from None
    made, missing = [], []
    for f in files:
        pdf = out_dir / (Path(f).stem + ".pdf")
        (made if pdf.is_file() else missing).append(pdf)
    if missing:
        detail = err.decode("utf-8", "replace").strip()[-500:]
        raise GenerationError("PDF", [f"{p.name}: LibreOffice 未能生成 ({detail or 'no output'})" for p in missing])
    return made
