"""A corpus of batches with the registry of institutions and every signal of made-up claims planted, for
the signals' tests and benchmarks/signals_benchmark.py.

    corpus = generate_corpus(out, seed=1, bundles=40)

writes out/registry.xlsx (the departments' list), out/bundle-NNN/ (each bundle with truth.json, records.xlsx
where a plant needs it) and out/corpus.json (schema signals-corpus/1): every bundle's batch and the flags
each trainee's claim should raise once the whole corpus is taken in, in order. Within a bundle: one hand
signing several rows, one fingerprint pasted twice, one phone for several trainees, impossible dates, a
class filed after it began. Across bundles: one person claimed by two institutions, in overlapping classes
(at one institution or two), one certificate copy reused in a later batch (rescanned at another crop), one
phone given in two bundles. Of the registry: an unknown institution, a disqualified one, one recognised for
another category. A clean corpus (plants=False) holds none of these and should raise no signal at all.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import openpyxl

from tests.bundlegen import BundleSpec, Guest, generate_bundle, render_pages
from tests.bundlegen.content import make_institution
from tests.bundlegen.credit_codes import credit_code
from tests.bundlegen.guests import certificate_json

SCHEMA = "signals-corpus/1"
YEAR = 2020
WITHIN = ("same_hand", "fingerprint_pasted", "phone_shared", "certificate_before_training_end",
          "training_too_short", "underage", "past_retirement", "wrong_issuer", "class_filed_late")
ACROSS = ("claimed_elsewhere", "overlapping_class", "overlapping_class_elsewhere", "card_reused", "phone_elsewhere")
REGISTRY = ("institution_unknown", "institution_disqualified", "institution_not_recognised_for_profession")
# What each cross-bundle plant flags on both claims.
ACROSS_FLAGS = {"claimed_elsewhere": ("claimed_by_two_institutions",),
                "overlapping_class": ("training_dates_overlap",),
                "overlapping_class_elsewhere": ("training_dates_overlap", "claimed_by_two_institutions"),
                "card_reused": ("certificate_image_reused",),
                "phone_elsewhere": ("phone_shared",)}
DISQUALIFIED_ON = dt.date(2020, 2, 1)
WELDING = "焊接与热切割作业"
HEADER = ("机构名称", "统一社会信用代码", "认定类别", "认定部门", "认定文号", "有效期起", "有效期止", "取消资格日期",
          "取消资格原因")


@dataclass
class CorpusBundle:
    folder: str
    batch: str
    institution: str
    spec: dict[str, Any]
    records: bool = False
    plants: list[str] = field(default_factory=list)
    # id_number -> the flags its claim should raise (signals and registry flags only)
    expected: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Corpus:
    seed: int
    registry: str
    bundles: list[CorpusBundle]

    def to_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "seed": self.seed, "registry": self.registry,
                "bundles": [asdict(b) for b in self.bundles]}


def _institutions(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = make_institution(rng)
        if name not in names and all(name[-6:] != n[-6:] or name[:2] != n[:2] for n in names):
            names.append(name)
    return names


def write_registry(path: Path, rows: list[tuple]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append(list(row))
    book.save(path)


def _registry_rows(names: list[str], rng: random.Random, special: dict[str, str]) -> list[tuple]:
    rows = []
    for name in names:
        code = credit_code(rng)
        number = f"滨应急字〔2019〕{rng.randint(1, 60)}号"
        if special.get(name) == "not_recognised":
            rows.append((name, code, WELDING, "滨州市应急管理局", number, "2019-01-01", "", "", ""))
            continue
        rows.append((name, code, "特种作业", "滨州市应急管理局", number, "2019-01-01", "2022-12-31", "", ""))
        rows.append((name, code, "特种设备作业人员", "滨州市行政审批服务局", f"滨审批〔2019〕{rng.randint(1, 60)}号",
                     "2019-01-01", "2022-12-31", "", ""))
        if special.get(name) == "disqualified":
            rows.append((name, code, "", "", "", "", "", DISQUALIFIED_ON.isoformat(), "培训记录弄虚作假"))
    return rows


def _quarter_start(q: int, rng: random.Random) -> dt.date:
    """A class start that leaves the quarter room for the exam and the forms."""
    first = dt.date(YEAR, 3 * (q - 1) + 1, 1)
    return first + dt.timedelta(days=rng.randint(3, 45))


def generate_corpus(out: Path, seed: int = 1, bundles: int = 40, trainees: int = 4, plants: bool = True,
                    profile: str = "scan") -> Corpus:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"signals-corpus:{seed}")
    names = _institutions(rng, 9)
    normal, unknown, disqualified, welding_only = names[:6], names[6], names[7], names[8]
    special = {disqualified: "disqualified", welding_only: "not_recognised"} if plants else {}
    registered = names if not plants else [n for n in names if n != unknown]
    registry = out / "registry.xlsx"
    write_registry(registry, _registry_rows(registered, rng, special))
    plan = _plan(bundles, rng) if plants else [[] for _ in range(bundles)]
    made: list[CorpusBundle] = []
    sources: dict[int, tuple[str, int, Any]] = {}   # plant slot -> (signal, bundle index, source content)
    for i, planted in enumerate(plan):
        q = 1 + i * 4 // bundles
        institution = rng.choice(normal)
        within = [p for p in planted if p in WITHIN]
        start = _quarter_start(q, rng)
        profession = ""
        for p in planted:
            if p == "institution_unknown":
                institution = unknown
            elif p == "institution_disqualified":
                institution, start = disqualified, max(start, DISQUALIFIED_ON + dt.timedelta(days=30))
            elif p == "institution_not_recognised_for_profession":
                institution, profession = welding_only, "低压电工作业"
        spec = BundleSpec(seed=10_000 * seed + i, trainees=trainees, profile=profile, problems=tuple(within),
                          records="class_filed_late" in within or i % 5 == 0, institution=institution,
                          start_on=start.isoformat(), profession=profession)
        guests: list[Guest] = []
        for p in planted:
            if not p.startswith(("source:", "target:")):
                continue
            role, signal, slot = p.split(":")
            if role == "source":
                card_seed = rng.randrange(2**31) if signal == "card_reused" else None
                guests.append(Guest(0, signal + "_source", ACROSS_FLAGS[signal], keep=True, card_seed=card_seed))
                sources[int(slot)] = (signal, i, card_seed)
            else:
                guests.append(_target_guest(signal, made, sources[int(slot)]))
                spec = _fit_target(spec, signal, made[sources[int(slot)][1]], normal, rng)
        spec = replace(spec, guests=tuple(guests))
        folder = out / f"bundle-{i + 1:03d}"
        truth, spec = _generate(spec, folder)
        content, *_ = render_pages(spec)
        begins = dt.date.fromisoformat(spec.start_on)
        made.append(CorpusBundle(folder.name, f"{begins.year}Q{(begins.month - 1) // 3 + 1}-{spec.institution}",
                                 spec.institution, _spec_json(spec), spec.records, list(planted),
                                 _expected(truth.trainees, planted)))
        made[-1].content = content  # type: ignore[attr-defined]  # for targets drawn after it, not written
    corpus = Corpus(seed, registry.name, made)
    (out / "corpus.json").write_text(json.dumps(corpus.to_json(), ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")
    return corpus


def _generate(spec: BundleSpec, folder: Path) -> tuple[Any, BundleSpec]:
    """The bundle, drawn again from another seed when its style cannot fit the moved class's dates into the
    roster's columns (a long 2020年10月31日 in a narrow face)."""
    for attempt in range(5):
        try:
            return generate_bundle(spec, folder), spec
        except ValueError:
            if attempt == 4:
                raise
            spec = replace(spec, seed=spec.seed + 100_000)
    raise AssertionError("unreachable")


def _plan(bundles: int, rng: random.Random) -> list[list[str]]:
    """Which plants go into which bundle: every signal at least twice, at most one plant per bundle besides
    the sources of cross-bundle plants, which later bundles copy."""
    plan: list[list[str]] = [[] for _ in range(bundles)]
    free = list(range(bundles))
    rng.shuffle(free)
    slot = 0
    for signal in ACROSS:
        for _ in range(2):
            source, target = sorted((free.pop(), free.pop()))
            plan[source].append(f"source:{signal}:{slot}")
            plan[target].append(f"target:{signal}:{slot}")
            slot += 1
    for signal in (*WITHIN, *REGISTRY):
        for _ in range(2):
            if free:
                plan[free.pop()].append(signal)
    return plan


def _target_guest(signal: str, made: list[CorpusBundle], source: tuple[str, int, Any]) -> Guest:
    _signal, index, card_seed = source
    person = made[index].content.trainees[0]  # type: ignore[attr-defined]
    p = person.person
    flags = ACROSS_FLAGS[signal]
    if signal == "phone_elsewhere":
        return Guest(0, signal, flags, phone=p.phone, phone_only=True)
    certificate = certificate_json(person.certificate) if signal == "card_reused" else None
    if signal == "card_reused":
        flags = (*flags, "date_impossible")  # the reused copy was issued for the earlier class
    return Guest(0, signal, flags, p.name, p.gender, p.birth.isoformat(), p.id_number, p.phone,
                 card_seed=card_seed, certificate=certificate)


def _fit_target(spec: BundleSpec, signal: str, source: CorpusBundle, normal: list[str],
                rng: random.Random) -> BundleSpec:
    """The target bundle's class as the plant needs it, relative to its source."""
    k = source.content.klass  # type: ignore[attr-defined]
    others = [n for n in normal if n != source.institution]
    if signal == "overlapping_class":
        return replace(spec, institution=source.institution, start_on=(k.training_start + dt.timedelta(days=3))
                       .isoformat(), profession=_other_item(k.profession.item))
    if signal == "overlapping_class_elsewhere":
        return replace(spec, institution=rng.choice(others),
                       start_on=(k.training_start + dt.timedelta(days=2)).isoformat(),
                       profession=_other_item(k.profession.item))
    if signal == "claimed_elsewhere":
        later = k.training_end + dt.timedelta(days=40)
        start = later if later.year == YEAR and later.month <= 10 else k.training_start - dt.timedelta(days=80)
        return replace(spec, institution=rng.choice(others), start_on=start.isoformat(),
                       profession=_other_item(k.profession.item))
    if signal == "card_reused":
        # The copy comes back in a later batch: a later quarter (of the next year, late in this one).
        later = k.training_end + dt.timedelta(days=100)
        return replace(spec, institution=source.institution, profession=k.profession.item,
                       start_on=later.isoformat())
    return spec


def _other_item(item: str) -> str:
    """Another profession for the same person's other class (two claims of one item are the repeat rule's)."""
    return "叉车司机" if item != "叉车司机" else "低压电工作业"


def _expected(trainees: list[dict[str, Any]], planted: list[str]) -> dict[str, list[str]]:
    registry_flags = [p for p in planted if p in REGISTRY]
    measured = set(_measured())
    out = {}
    for t in trainees:
        flags = {f for f in t["flags"] if f in measured} | set(registry_flags)
        out[t["id_number"]] = sorted(flags)
    return out


def _measured() -> tuple[str, ...]:
    from intake.signals import SIGNAL_FLAGS

    return (*SIGNAL_FLAGS, *REGISTRY)


def _spec_json(spec: BundleSpec) -> dict[str, Any]:
    data = asdict(spec)
    data["guests"] = [asdict(g) for g in spec.guests]
    return data
