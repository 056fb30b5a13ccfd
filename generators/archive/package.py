"""One archive package per batch: a BagIt bag (RFC 8493, made and checked with the Library of Congress
`bagit` library) with SHA-256 manifests, readable without this software.

    <batch>/
      bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
      data/README.txt                 what is where, in Chinese and English, and how to check it
      data/originals/                 the uploads byte for byte, under their original names
      data/pages/bundle-N/            each page as PNG, turned upright (made from the originals)
      data/bundles/bundle-N.json      the bundle's reading (bundle-result/1, rebuilt from the store)
      data/records/                   batch.json, uploads.json, claims.json, decisions.json, corrections.json
      data/documents/<kind>/          Attachments 1-3 and the publicity list: .docx, .xlsx, PDF/A
      data/index/                     the index lines: index.json, index.csv, 存档台账_<batch>.xlsx

Personal data: the package is the paper file's digital twin. The scans show every ID number in full, so
the records hold them in full too (claims.json, the bundle JSON), opened through the store's logged path;
the index files hold only masked numbers. Keep a package as the paper file is kept; `restore` re-seals the
numbers with the receiving store's key. Decisions and corrections carry their audit-chain hashes as stored
(keyed with the store's secret): the package's own SHA-256 manifest is what proves them unchanged outside.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bagit
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from generators.archive import layout
from generators.archive.documents import keep_documents
from generators.archive.ledger import batch_ledger, entry_rows
from generators.base import safe_file_part
from intake.policy.policy import Policy
from intake.store.archive import archive_batch, archived_batch, batch_claims, batch_uploads, log_event
from intake.store.bundles import bundle_documents, page_text
from intake.store.db import cipher_of
from intake.store.models import (
    ArchiveEntry,
    Batch,
    Bundle,
    BundleUpload,
    Correction,
    Decision,
    Page,
    Upload,
)
from intake.store.registry import PLACEHOLDER_PREFIX, phone_of, reveal_id_number
from intake.store.uploads import CHUNK, sha256_of
from intake.store.vault import export_file, is_sealed

PACKAGE_FORMAT = "subsidy-archive/1"
CHECKSUMS = ["sha256"]


class PackageProblem(Exception):
    """A package that cannot be written or read as asked."""


@dataclass
class PackResult:
    path: Path
    files: int
    bytes: int
    notes: list[str] = field(default_factory=list)


def _json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")


def _unique_name(name: str, taken: set[str]) -> str:
    name = safe_file_part(name)
    stem, dot, suffix = name.rpartition(".")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}.{suffix}" if dot else f"{name}-{n}"
    taken.add(candidate)
    return candidate


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as out:
        while chunk := src.read(CHUNK):
            out.write(chunk)


def pack_batch(session: Session, data_dir: Path, name: str, out_dir: Path, who: str, *, policy: Policy,
               pdf: bool = True, render_pages: bool = True, publicity_start: dt.date | None = None) -> PackResult:
    """Write the batch's package under out_dir/<batch>/ (archiving the batch first if it is not yet).
    An existing package is never overwritten. The caller commits (the access log of opened numbers)."""
    notes: list[str] = []
    record = archived_batch(session, name)
    if record is None:
        record = archive_batch(session, name, who, policy=policy)
    if record.disposed_at is not None:
        raise PackageProblem(f"批次 {name}: 已销毁，不能封装")
    if not record.documents:
        notes += keep_documents(session, data_dir, record, who, policy=policy, pdf=pdf, publicity_start=publicity_start)
        session.refresh(record)
    batch = session.get(Batch, record.batch_id)
    final = out_dir / safe_file_part(batch.name)
    if final.exists():
        raise PackageProblem(f"{final}: 已存在，不覆盖已有的存档包")
    work = out_dir / f".tmp-{safe_file_part(batch.name)}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        notes += _write_payload(session, data_dir, record, batch, work, who, render_pages)
        info = {"Source-Organization": batch.institution.name if batch.institution else "",
                "Institution": batch.institution.name if batch.institution else "",
                "Batch": batch.name, "Quarter": batch.quarter or "",
                "Archived-At": record.archived_at.isoformat(timespec="seconds"),
                "Retain-Until": record.retain_until.isoformat(), "Retention-Years": str(record.retention_years),
                "Policy": record.policy, "Package-Format": PACKAGE_FORMAT,
                "External-Description": f"安全技能培训补贴存档包 {batch.name}",
                "Packed-By": who}
        bag = bagit.make_bag(str(work), bag_info=info, checksums=CHECKSUMS, processes=1)
        bag.validate(processes=1)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    files = [p for p in (final / layout.PAYLOAD).rglob("*") if p.is_file()]
    log_event(session, "pack", batch.name, who, path=str(final), files=len(files))
    session.flush()
    return PackResult(final, len(files), sum(p.stat().st_size for p in files), notes)


def _write_payload(session: Session, data_dir: Path, record: Any, batch: Batch, work: Path, who: str,
                   render_pages: bool) -> list[str]:
    notes: list[str] = []
    cipher = cipher_of(session)
    uploads = batch_uploads(session, batch.id)
    taken: set[str] = set()
    upload_rows = []
    for upload in uploads:
        target = f"{layout.ORIGINALS}/{_unique_name(upload.original_name, taken)}"
        _copy(data_dir / upload.stored_path, work / target)
        upload_rows.append({"sha256": upload.sha256, "size": upload.size, "media_type": upload.media_type,
                            "original_name": upload.original_name, "path": target,
                            "uploaded_by": upload.uploaded_by, "uploaded_at": upload.uploaded_at})
    by_upload = {u["sha256"]: u["path"] for u in upload_rows}

    claims = batch_claims(session, batch.id)
    purpose = f"归档封装 {batch.name}"
    claim_rows = []
    for claim, trainee, cert, klass, employer in claims:
        number = reveal_id_number(session, trainee, who, purpose) or ""
        claim_rows.append({
            "claim_id": claim.id, "bundle_id": claim.bundle_id, "trainee_id": trainee.id,
            "id_number": "" if number.startswith(PLACEHOLDER_PREFIX) else number, "name": trainee.name,
            "gender": trainee.gender, "phone": phone_of(session, trainee) or "",
            "employer": employer.name if employer else "", "profession": claim.profession, "level": claim.level,
            "certificate_no": (cipher.open(cert.certificate_no_enc, "certificate.certificate_no") or "")
            if cert else "",
            "certificate_kind": cert.kind if cert else "", "certificate_issue_date": cert.issue_date if cert else None,
            "class_period": klass.class_period if klass else "", "training_date": claim.training_date,
            "amount": str(claim.amount), "claim_date": claim.claim_date, "flags": list(claim.flags or []),
            "eligible": claim.eligible, "page_refs": list(claim.page_refs or [])})
    claim_ids = [row["claim_id"] for row in claim_rows]
    trainee_ids = [row["trainee_id"] for row in claim_rows]

    bundle_ids = sorted({row["bundle_id"] for row in claim_rows if row["bundle_id"]}
                        | set(session.scalars(select(Bundle.id).where(Bundle.batch_id == batch.id))))
    for bundle in session.scalars(select(Bundle).where(Bundle.id.in_(bundle_ids)).order_by(Bundle.id)):
        notes += _write_bundle(session, data_dir, bundle, claim_rows, by_upload, work, render_pages)

    decisions = [{"id": d.id, "claim_id": d.claim_id, "rule": d.rule, "outcome": d.outcome, "reason": d.reason,
                  "evidence": d.evidence, "decided_at": d.decided_at, "decided_by": d.decided_by,
                  "chain_prev": d.chain_prev, "chain_hash": d.chain_hash}
                 for d in session.scalars(select(Decision).where(Decision.claim_id.in_(claim_ids))
                                          .order_by(Decision.id))]
    corrections = []
    for c in session.scalars(select(Correction).where(or_(Correction.claim_id.in_(claim_ids),
                                                          Correction.trainee_id.in_(trainee_ids)))
                             .order_by(Correction.id)):
        label = f"correction.{c.field}"
        corrections.append({
            "id": c.id, "claim_id": c.claim_id, "trainee_id": c.trainee_id, "field": c.field,
            "old_value": cipher.open_text(c.old_value, label) if c.sealed else c.old_value,
            "new_value": cipher.open_text(c.new_value, label) if c.sealed else c.new_value,
            "sealed": c.sealed, "stored_old_value": c.old_value, "stored_new_value": c.new_value,
            "who": c.who, "when": c.when, "why": c.why, "chain_prev": c.chain_prev, "chain_hash": c.chain_hash})
    documents = [{"kind": d.kind, "name": d.name, "sha256": d.sha256, "size": d.size,
                  "path": layout.document_file(d.kind, d.name)} for d in record.documents]
    for d, row in zip(record.documents, documents, strict=True):
        # exported on purpose: the package is the paper file's equal and holds the documents in clear
        source = data_dir / d.stored_path
        if is_sealed(source):
            export_file(cipher, source, work / row["path"])
        else:
            _copy(source, work / row["path"])
    _json(work / layout.BATCH, {
        "format": PACKAGE_FORMAT, "batch": batch.name, "quarter": batch.quarter, "status": batch.status,
        "institution": batch.institution.name if batch.institution else "", "created_at": batch.created_at,
        "archived_at": record.archived_at, "archived_by": record.archived_by, "policy": record.policy,
        "retention_years": record.retention_years, "retain_until": record.retain_until,
        "packed_at": dt.datetime.now(dt.UTC).replace(tzinfo=None), "packed_by": who})
    _json(work / layout.UPLOADS, upload_rows)
    _json(work / layout.CLAIMS, claim_rows)
    _json(work / layout.DECISIONS, decisions)
    _json(work / layout.CORRECTIONS, corrections)
    _json(work / layout.DOCUMENTS, documents)
    _write_index(session, batch.name, work / layout.INDEX, by_upload)
    (work / layout.README).write_text(readme(batch, record, len(upload_rows), len(claim_rows), notes),
                                     encoding="utf-8")
    return notes


def _write_bundle(session: Session, data_dir: Path, bundle: Bundle, claim_rows: list[dict[str, Any]],
                  by_upload: dict[str, str], work: Path, render_pages: bool) -> list[str]:
    """bundle-result/1 rebuilt from the store, plus the page images; notes for pages that cannot be drawn."""
    from generators.archive.pages import render_pages as draw

    uploads = list(session.execute(select(Upload).join(BundleUpload, BundleUpload.upload_id == Upload.id)
                                   .where(BundleUpload.bundle_id == bundle.id).order_by(BundleUpload.position))
                   .scalars())
    names = {u.id: u.original_name for u in uploads}
    pages = list(session.scalars(select(Page).where(Page.bundle_id == bundle.id).order_by(Page.number)))
    page_files: dict[int, str] = {}
    notes: list[str] = []
    if render_pages:
        page_files, notes = draw(data_dir, uploads, pages, work, layout.bundle_pages(bundle.id))
    trainees = [{k: row[k] for k in ("id_number", "name", "gender", "phone", "profession", "certificate_no",
                                     "training_date", "class_period", "flags", "eligible")}
                for row in claim_rows if row["bundle_id"] == bundle.id]
    result = {"schema": "bundle-result/1", "source": bundle.source, "engine": bundle.engine,
              "pages": [{"page": p.number, "kind": p.kind, "rotation": p.rotation, "source": names.get(p.upload_id, ""),
                         **({"text": page_text(session, p)} if p.text_enc else {}),
                         **({"image": page_files[p.number]} if p.number in page_files else {})} for p in pages],
              "documents": bundle_documents(session, bundle), "trainees": trainees, "problems": bundle.problems or [],
              "archive": {"bundle_id": bundle.id, "fingerprint": bundle.fingerprint, "read_at": bundle.read_at,
                          "uploads": [{"sha256": u.sha256, "path": by_upload.get(u.sha256, "")} for u in uploads]}}
    _json(work / layout.bundle_file(bundle.id), result)
    return notes


INDEX_FIELDS = ("name", "id_masked", "certificate_no_masked", "profession", "class_period", "institution", "employer",
                "batch", "quarter", "year", "archived_on", "retain_until", "pages")


def _write_index(session: Session, batch: str, folder: Path, by_upload: dict[str, str]) -> None:
    entries = list(session.scalars(select(ArchiveEntry).where(ArchiveEntry.batch == batch).order_by(ArchiveEntry.id)))
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for e in entries:
        lines.append({"name": e.name, "id_masked": e.id_masked, "certificate_no_masked": e.certificate_no_masked,
                      "profession": e.profession, "class_period": e.class_period, "institution": e.institution,
                      "employer": e.employer, "batch": e.batch, "quarter": e.quarter, "year": e.year,
                      "archived_at": e.archived_at, "retain_until": e.retain_until,
                      "pages": [{**{k: p.get(k) for k in ("bundle_id", "page", "kind", "sha256", "page_in_file")},
                                 "package_path": by_upload.get(p.get("sha256", ""), "")} for p in e.pages or []]})
    _json(folder / "index.json", lines)
    with (folder / "index.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=INDEX_FIELDS)
        writer.writeheader()
        writer.writerows({k: row[k] for k in INDEX_FIELDS} for row in entry_rows(entries))
    batch_ledger(session, batch, folder)


def readme(batch: Batch, record: Any, uploads: int, claims: int, notes: Iterable[str]) -> str:
    institution = batch.institution.name if batch.institution else ""
    note_lines = "\n".join(f"  - {n}" for n in notes) or "  （无 none）"
    return f"""安全技能培训补贴 存档包 / Safety-training subsidy archive package
==================================================================

批次 Batch:            {batch.name}
培训机构 Institution:  {institution}
季度 Quarter:          {batch.quarter or ''}
归档时间 Archived at:  {record.archived_at.isoformat(timespec='seconds')}
保管期限至 Retain until: {record.retain_until.isoformat()}（归档日期 + {record.retention_years} 年，{record.policy}）
原件 Originals: {uploads} 个文件    申领记录 Claims: {claims} 条

本包为 BagIt 格式（RFC 8493），无需本软件即可阅读和核验。
This is a BagIt bag (RFC 8493); it can be read and checked without the software that made it.

目录 What is where (all under data/):
  originals/   原始上传文件，逐字节保存 (the uploads, byte for byte; records/uploads.json gives each SHA-256)
  pages/       每页扫描图像 PNG，已转正 (each page as PNG, turned upright)
  bundles/     每份材料的识别结果 JSON（bundle-result/1）(the reading of each bundle)
  records/     batch.json 批次与保管期限; claims.json 申领记录（含完整身份证号）; decisions.json 审核决定;
               corrections.json 人工更正; uploads.json 原件清单; documents.json 文书清单
  documents/   生成的文书：附件1-3、公示名单（docx、xlsx、PDF/A）(generated documents)
  index/       存档索引 index.json / index.csv / 存档台账 xlsx（身份证号已遮蔽）(the index, masked numbers)

个人信息 Personal information:
  原始扫描件与 claims.json、bundles/*.json 含完整身份证号和手机号，须按纸质档案同等保管，限制访问。
  The scans, claims.json and bundles/*.json hold full ID and phone numbers: keep this package as the paper
  file is kept, with access restricted. The index files hold masked numbers only.

核验 How to check:
  每个文件的 SHA-256 记录在 manifest-sha256.txt 中；标签文件记录在 tagmanifest-sha256.txt 中。
  Every payload file's SHA-256 is in manifest-sha256.txt (tag files in tagmanifest-sha256.txt), e.g.
      cd <package> && sha256sum -c manifest-sha256.txt
  or: python -m bagit --validate <package>      or: subsidy archive verify <package>
  decisions.json 与 corrections.json 中的 chain_prev/chain_hash 为数据库审计链（以存储密钥计算），
  审核记录按 id 顺序，每条记录带前一条的哈希。(The audit-chain hashes are keyed with the store's secret.)

备注 Notes:
{note_lines}
"""


# --- checking a package ------------------------------------------------------------------------

@dataclass
class PackageCheck:
    path: Path
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)


def _manifest(path: Path) -> dict[str, str]:
    entries = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                digest, _, name = line.partition(" ")
                entries[name.strip().lstrip("*")] = digest.lower()
    return entries


def verify_package(path: Path) -> PackageCheck:
    """Re-hash every file of a bag against its manifests; each differing, missing or unlisted file is named.
    bagit's own validator gives the verdict too (its message is added when it disagrees)."""
    check = PackageCheck(path)
    if not (path / "bagit.txt").is_file():
        check.problems.append(f"{path}: 不是 BagIt 存档包（缺少 bagit.txt）(not a BagIt bag)")
        return check
    listed = {**_manifest(path / "manifest-sha256.txt"), **_manifest(path / "tagmanifest-sha256.txt")}
    if not listed:
        check.problems.append(f"{path}: 没有 SHA-256 清单")
    for name, expected in sorted(listed.items()):
        file = path / name
        if not file.is_file():
            check.problems.append(f"{file}: 文件缺失")
            continue
        check.files += 1
        check.bytes += file.stat().st_size
        if sha256_of(file) != expected:
            check.problems.append(f"{file}: SHA-256 不符，文件被改动")
    for file in sorted((path / layout.PAYLOAD).rglob("*")):
        if file.is_file() and file.relative_to(path).as_posix() not in listed:
            check.problems.append(f"{file}: 清单中没有此文件")
    try:
        bagit.Bag(str(path)).validate(processes=1)
    except bagit.BagError as error:
        if not check.problems:
            check.problems.append(f"{path}: BagIt 校验未通过 ({error})")
    return check


def find_packages(path: Path) -> list[Path]:
    """The bag at `path`, or the bags directly inside it."""
    if (path / "bagit.txt").is_file():
        return [path]
    return sorted(p for p in path.iterdir() if (p / "bagit.txt").is_file()) if path.is_dir() else []
