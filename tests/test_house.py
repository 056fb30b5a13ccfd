"""House rules that hold for the whole tree: lint clean, imports run one way."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Each stage may import only the stages before it: ocr <- intake <- generators <- service.
LAYERS = {"ocr": set(), "intake": {"ocr"}, "generators": {"ocr", "intake"},
          "service": {"ocr", "intake", "generators"}}
# The product never imports its tests (nor the fixture generator): `tests` is no stage of it.
IMPORT = re.compile(r"^\s*(?:from|import)\s+(ocr|intake|generators|service|tests|benchmarks)\b", re.M)


@pytest.mark.parametrize("stage", sorted(LAYERS))
def test_imports_run_one_way(stage):
    wrong = []
    for path in (ROOT / stage).rglob("*.py"):
        for used in IMPORT.findall(path.read_text(encoding="utf-8")):
            if used != stage and used not in LAYERS[stage]:
                wrong.append(f"{path.relative_to(ROOT)} imports {used}")
    assert not wrong


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff not installed")
    done = subprocess.run([ruff, "check", "--quiet", str(ROOT)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


# --- one home per field ---------------------------------------------------------------------------

FIELDS_DIR = ROOT / "intake" / "fields"
FIELD_MODULES = ("names", "genders", "id_numbers", "phones", "professions", "certificate_numbers", "dates",
                 "class_periods", "institutions")
PRODUCT = ("ocr", "intake", "generators", "service")


def _product_files():
    for stage in PRODUCT:
        for path in (ROOT / stage).rglob("*.py"):
            if FIELDS_DIR not in path.parents:
                yield path


def _field_words() -> dict[str, str]:
    """Every label and title a field module declares -> the module."""
    import importlib

    words: dict[str, str] = {}
    for name in FIELD_MODULES:
        module = importlib.import_module(f"intake.fields.{name}")
        for attr, value in vars(module).items():
            if attr.isupper() and (attr.endswith("LABELS") or attr.endswith("TITLE")):
                if isinstance(value, dict):  # field -> wordings, as a spreadsheet's columns
                    value = [word for wordings in value.values() for word in wordings]
                for word in (value,) if isinstance(value, str) else value:
                    if len(word) > 1:  # 起, 止, 至: too common a character to be anyone's copy
                        words.setdefault(word, name)
    return words


def test_each_fields_labels_live_in_its_module():
    """A header, card or title word of a field is written once, in the field's module (intake/fields):
    no reader, store, page or generator keeps its own copy to drift from the others."""
    import ast

    words = _field_words()
    assert "身份证号" in words and "档案编号" in words and "甲方" in words  # the collection itself works
    copies = []
    for path in _product_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in words:
                copies.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r} "
                              f"(intake/fields/{words[node.value]}.py)")
    assert not copies


# Maskers, normalisers and redactors of a field: only the field's module defines one. The free-text finder
# (intake/store/personal.py) finds numbers in text and masks each with its field's masker.
_PARSER = re.compile(r"^\s*def\s+(_?(?:mask|normali[sz]e|redact)\w*)\s*\(", re.M)
_ALLOWED = {"intake/store/personal.py": {"mask_numbers", "mask_personal", "_mask_found"}}


def test_no_second_masker_or_normaliser():
    found = []
    for path in _product_files():
        rel = str(path.relative_to(ROOT))
        for name in _PARSER.findall(path.read_text(encoding="utf-8")):
            if name not in _ALLOWED.get(rel, set()):
                found.append(f"{rel}: def {name}")
    assert not found


def test_field_modules_mask_alike():
    """The free-text masker (logs, page text, messages) gives what the field maskers give."""
    from intake.fields.id_numbers import mask_id
    from intake.fields.phones import mask_phone
    from intake.store.personal import mask_numbers

    number, phone = "37160219900307123X", "13812345678"
    assert mask_numbers(f"{number} {phone}") == f"{mask_id(number)} {mask_phone(phone)}"


# --- imports in plain sight ---------------------------------------------------------------------------

# Imports by name at run time, each with the reason it cannot be a plain import. Anything else is imported
# normally, so the house test above sees which stage uses which.
REGISTERED_DYNAMIC_IMPORTS = {
    # the bundle reader is a setting ("module:function", SUBSIDY_INTAKE_READER) so a test can swap in a fake
    "service/intake_job.py": 1,
    # the engine imports its optional packages to name the one that is missing (EngineUnavailable)
    "ocr/engines/rapid.py": 1,
}
_DYNAMIC_IMPORT = re.compile(r"\b(?:import_module|__import__)\s*\(")


def test_no_unregistered_dynamic_import():
    found = {}
    for path in _product_files_all():
        if count := len(_DYNAMIC_IMPORT.findall(path.read_text(encoding="utf-8"))):
            found[str(path.relative_to(ROOT))] = count
    assert found == REGISTERED_DYNAMIC_IMPORTS


def test_an_import_error_is_never_swallowed():
    """A failed import says why (it is re-raised or turned into an error naming its cause), never into a
    quiet "not available"."""
    import ast

    quiet = []
    for path in _product_files_all():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ExceptHandler) or node.type is None:
                continue
            caught = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
            if caught & {"ImportError", "ModuleNotFoundError"} and \
                    not any(isinstance(n, ast.Raise) for n in ast.walk(node)):
                quiet.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not quiet


def _product_files_all():
    for stage in PRODUCT:
        yield from (ROOT / stage).rglob("*.py")


# --- settings handed down -------------------------------------------------------------------------------

# Where the subsidy's rules are read: the command line's entry (its commands hand the policy down) and the
# service's one settings object (the web app and its jobs). Everything below takes the policy it is given.
POLICY_READERS = {"service/cli.py", "service/settings.py"}


def test_the_policy_is_read_only_at_the_entry_points():
    readers = {str(p.relative_to(ROOT)) for p in _product_files_all()
               if re.search(r"\bdefault_policy\b(?!\s*\(\)\s*->)", p.read_text(encoding="utf-8"))
               and p != ROOT / "intake" / "policy" / "policy.py"}
    assert readers == POLICY_READERS
