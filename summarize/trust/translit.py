"""Whether an Arabic word and a Latin word can be one name: «ماكرون» ↔ "Macron".

Both are read into a consonant skeleton over a coarse alphabet, the letters a transliteration
keeps (vowels, «ا و ي ع ه ء», English vowels, h, w and y dropped; letters that transliterate
into one another merged: «ج غ ق ك خ» ↔ g, j, k, q, hard c; «س ص ش ز ظ» ↔ s, z, sh, ch, soft c;
«ت ط ث» ↔ t, th; «د ض ذ» ↔ d; «ف» ↔ f, v, ph; «ب» ↔ b, p). Two words match when a skeleton of
the Arabic word (with and without its clitics «و ف ب ل ك» and article «ال») equals the Latin
word's, or differs by one letter inserted or left out when both have at least four letters
(«ماكرون» MKRN ↔ "Macron"; «واشنطن» SNTN ↔ "Washington" SNKTN; «تز» is also read as "z":
«هرتزل» ↔ "Herzl").

This is a filter, not a translator: it says "these could be the same name", never which
name an Arabic word is. Two-letter skeletons match exactly only. Used to tell names from
figures («وست» is "West", not «و + ست» and six), to find an Arabic name's English in a
translation, and by the benchmark to find names to swap.
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarize.text.fold import fold

__all__ = ["arabic_skeletons", "latin_skeleton", "same_name"]

_AR_CLASSES = str.maketrans(
    {
        "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "t", "د": "d", "ض": "d", "ذ": "d",
        "ج": "k", "غ": "k", "ق": "k", "ك": "k", "خ": "k", "گ": "k", "چ": "k",
        "س": "s", "ص": "s", "ش": "s", "ز": "s", "ظ": "s",
        "ف": "f", "ڤ": "f", "ر": "r", "ل": "l", "م": "m", "ن": "n",
        "ا": "", "و": "", "ي": "", "ى": "", "ع": "", "ه": "", "ة": "", "ء": "", "ح": "",
        "أ": "", "إ": "", "آ": "", "ؤ": "", "ئ": "",
    }
)  # fmt: skip
_LATIN_RULES = (
    (re.compile(r"ph"), "f"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"(?:sch|sh|ch|tz|ts|zh)"), "s"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"(?:ck|c|q|g|j|kh)"), "k"),
    (re.compile(r"th"), "t"),
    (re.compile(r"[pv]"), lambda m: "b" if m.group() == "p" else "f"),
    (re.compile(r"z"), "s"),
    (re.compile(r"[^bdfklmnrst]"), ""),
)
_CLITICS = ("و", "ف", "ب", "ل", "ك")
_MIN_FUZZY = 4


def _collapse(skeleton: str) -> str:
    return re.sub(r"(.)\1+", r"\1", skeleton)


@lru_cache(maxsize=1 << 14)
def latin_skeleton(word: str) -> str:
    """The consonant skeleton of a Latin-script word: "Macron" → ``mkrn``."""
    s = word.casefold()
    for pattern, repl in _LATIN_RULES:
        s = pattern.sub(repl, s)
    return _collapse(s)


@lru_cache(maxsize=1 << 14)
def arabic_skeletons(word: str) -> frozenset[str]:
    """The skeletons of an Arabic word as written, without a clitic, without the article."""
    key = fold(word)
    forms = {key}
    for form in list(forms):
        if len(form) > 3 and form[0] in _CLITICS:
            forms.add(form[1:])
    for form in list(forms):
        if form.startswith("ال") and len(form) > 4:
            forms.add(form[2:])
        if form.startswith("لل") and len(form) > 4:
            forms.add(form[2:])
    skeletons = {s for f in forms if (s := _collapse(f.translate(_AR_CLASSES)))}
    return frozenset(skeletons | {s.replace("ts", "s") for s in skeletons})  # «هرتزل» Herzl


def _one_off(a: str, b: str) -> bool:
    """Whether B is A with one letter inserted (len(b) == len(a) + 1)."""
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


def same_name(arabic: str, latin: str) -> bool:
    """Whether the Arabic word and the Latin word can be the same name (module doc)."""
    target = latin_skeleton(latin)
    if len(target) < 2:
        return False
    for skeleton in arabic_skeletons(arabic):
        if skeleton == target:
            return True
        short, long_ = sorted((skeleton, target), key=len)
        if len(short) >= _MIN_FUZZY and len(long_) == len(short) + 1 and _one_off(short, long_):
            return True
    return False
