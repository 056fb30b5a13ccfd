"""Institution names as they are printed: with or without 有限公司, with or without the city in front,
in full- or half-width brackets, followed by （盖章） where the seal goes.

`name_key` is what two names are compared by; `printed_forms` are the keys of every form an institution's
name is commonly printed in, besides the short forms the registry lists for it.
"""

from __future__ import annotations

import re

from intake.fields.text import compact

# Longest first: "股份有限公司" must not leave "股份" behind.
LEGAL_FORMS = ("集团股份有限公司", "集团有限责任公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司")
# Places a name may start with, or leave out (a Binzhou institution writes 滨州市…, or just its own name).
PLACES = ("滨州经济技术开发区", "滨州高新技术产业开发区", "滨州市滨城区", "滨州市沾化区", "滨州市", "滨州", "邹平市",
          "邹平县", "博兴县", "惠民县", "无棣县", "阳信县", "沾化区", "滨城区", "山东省", "山东")
_LIST = re.compile(r"[、,，;；/\n]+")
_MARKS = re.compile(r"[（(]?\s*(?:盖章|公章|签章|章)\s*[）)]?$")
_PUNCT = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "·": "", "•": "",
                        "：": "", ":": "", "，": "", ",": "", "。": "", "、": "", "\"": "", "“": "", "”": ""})


def tidy_name(text: str) -> str:
    """The name as written, without spaces, the seal mark after it or stray label punctuation."""
    name = compact(text).translate(_PUNCT)
    name = _MARKS.sub("", name)
    return name.strip("()")


def split_names(text: str) -> list[str]:
    """Names typed in one field, separated by 、 , ； or a new line, each tidied."""
    return [name for name in (tidy_name(part) for part in _LIST.split(text)) if name]


def name_key(text: str) -> str:
    """What names are compared by: tidied, brackets dropped (滨州市(鲁北)培训学校 = 滨州市鲁北培训学校)."""
    return tidy_name(text).replace("(", "").replace(")", "")


def without_legal_form(key: str) -> str:
    for form in LEGAL_FORMS:
        if key.endswith(form) and len(key) > len(form) + 1:
            return key[:-len(form)]
    return key


def place_of(key: str) -> str:
    """The place a name starts with ("" when none)."""
    return next((p for p in PLACES if key.startswith(p) and len(key) > len(p) + 3), "")


def without_place(key: str) -> str:
    return key[len(place_of(key)):]


def same_place(a: str, b: str) -> bool:
    """滨州, 滨州市 and 滨州市滨城区 are one place to a name; 邹平市 is another (the same school name in another
    county is another school)."""
    return a[:2] == b[:2]


def name_variants(key: str) -> set[str]:
    bare = without_legal_form(key)
    return {key, bare, without_place(key), without_place(bare)}


def printed_forms(name: str, aliases: list[str] | tuple[str, ...] = ()) -> set[str]:
    """The keys of the forms the name is printed in: itself, without its legal form, without its city, both,
    and each listed short form."""
    forms = set()
    for written in (name, *aliases):
        if key := name_key(written):
            forms.update(name_variants(key))
    return {f for f in forms if len(f) >= 2}
