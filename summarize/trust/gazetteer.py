"""Places with their Arabic and English names, from the Unicode CLDR (through Babel).

CLDR, the data every operating system and browser localizes with, names about 290 countries,
territories and regions, and about 420 cities (the exemplar cities of the time zones: capitals
and large cities) in Arabic and in English: «فرنسا» France, «القاهرة» Cairo, «ساحل العاج» Côte
d'Ivoire. Babel ships it (and is installed with trafilatura already). A few common short forms
that CLDR does not list are added here («أمريكا», «بريطانيا», «السعودية», "US", "UK").

A place is looked up by its folded words, without a clitic or the article («وفرنسا»,
«بالقاهرة», «للجزائر»). Loaded on first use, once per process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from summarize.text.fold import fold

__all__ = ["Place", "find_places", "place_forms", "places"]

# Short forms CLDR lacks, by territory code: (Arabic names, English names).
_EXTRA: dict[str, tuple[str, str]] = {
    "US": ("أمريكا|أميركا|الولايات المتحدة الأمريكية|الولايات المتحدة الأميركية", "US|U.S.|USA|America|American|Americans"),
    "GB": ("بريطانيا|المملكة المتحدة", "UK|U.K.|Britain|British|England"),
    "SA": ("السعودية", "Saudi"),
    "AE": ("الإمارات", "UAE|Emirates|Emirati"),
    "CZ": ("جمهورية التشيك", "Czech"),
    "NL": ("هولندا", "Holland|Dutch"),
    "KP": ("كوريا الشمالية", "DPRK"),
    "PS": ("فلسطين", "Palestine|Palestinian|Palestinians"),
    "RU": ("روسيا", "Russian|Russians"),
    "CN": ("الصين", "Chinese"),
    "VA": ("الفاتيكان", "Vatican"),
    "CD": ("الكونغو", "Congo"),
}  # fmt: skip
# Place names that are more often common words: «مالي» (financial), «بنين» (sons).
_COMMON_WORDS = frozenset(fold(w) for w in ("مالي", "بنين", "صور", "العين"))
_CLITICS = ("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل", "ك")


@dataclass(frozen=True)
class Place:
    """One place: its Arabic names (folded word tuples) and English names."""

    code: str
    arabic: tuple[tuple[str, ...], ...]
    english: tuple[str, ...]


def _split(name: str) -> list[str]:
    """«ميانمار (بورما)» → both names; "Hong Kong SAR China" → "Hong Kong"."""
    name = name.replace("SAR China", "").replace("الصينية (منطقة إدارية خاصة)", "")
    parts = re.split(r"\s*[()،,]\s*", name)
    return [p.strip() for p in parts if p.strip()]


def _arabic_key(name: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in name.split())


@cache
def places() -> tuple[Place, ...]:
    """Every place of CLDR in Arabic and English, with the short forms above."""
    from babel import Locale  # lazy: CLDR data is read on first use only

    ar, en = Locale("ar"), Locale("en")
    names: dict[str, tuple[list[str], list[str]]] = {}
    for code, arabic in ar.territories.items():
        english = en.territories.get(code)
        if english and code.isalpha():  # letters: countries; digits: continents and regions
            names[code] = (_split(arabic), _split(english))
    en_zones = en.time_zones
    for zone, data in ar.time_zones.items():
        arabic_city = data.get("city")
        # English keeps the zone's own city name unless it differs ("Asia/Calcutta": Kolkata)
        english_city = en_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace(
            "_", " "
        )
        if arabic_city and "/" in zone and not zone.startswith("Etc/"):
            names[zone] = ([arabic_city], [english_city])
    for code, (arabic_extra, english_extra) in _EXTRA.items():
        ar_names, en_names = names.setdefault(code, ([], []))
        ar_names.extend(arabic_extra.split("|"))
        en_names.extend(english_extra.split("|"))
    return tuple(
        Place(code, tuple(dict.fromkeys(_arabic_key(a) for a in ar_names)), tuple(en_names))
        for code, (ar_names, en_names) in names.items()
    )


@cache
def _index() -> dict[str, list[tuple[tuple[str, ...], Place]]]:
    """First folded word (article dropped) → (the whole name, the place)."""
    out: dict[str, list[tuple[tuple[str, ...], Place]]] = {}
    for place in places():
        for name in place.arabic:
            if not name or (len(name) == 1 and name[0] in _COMMON_WORDS):
                continue
            first = name[0][2:] if name[0].startswith("ال") else name[0]
            out.setdefault(first, []).append((name, place))
    for entries in out.values():
        entries.sort(key=lambda e: -len(e[0]))  # the longest name first
    return out


def place_forms(word: str) -> list[str]:
    """The forms under which a folded word may be a place's first word, clitics taken off."""
    forms = []
    for clitic in _CLITICS:
        if word.startswith(clitic) and len(word) - len(clitic) >= 2:
            rest = word[len(clitic) :]
            for article in ("ال", "ل") if clitic.endswith("ل") else ("ال",):
                if rest.startswith(article) and len(rest) - len(article) >= 2:
                    forms.append(rest[len(article) :])
            forms.append(rest)
    return forms


def find_places(words: Iterable[str]) -> list[tuple[int, int, Place]]:
    """(first word, last word + 1, place) of each place named in a sequence of folded words."""
    seq = list(words)
    index = _index()
    found = []
    i = 0
    while i < len(seq):
        match = None
        for form in place_forms(seq[i]):
            for name, place in index.get(form, ()):
                rest = name[1:]
                if tuple(seq[i + 1 : i + 1 + len(rest)]) == rest:
                    match = (i, i + 1 + len(rest), place)
                    break
            if match:
                break
        if match is None:
            i += 1
            continue
        found.append(match)
        i = match[1]
    return found
