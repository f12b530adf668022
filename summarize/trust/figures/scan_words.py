"""The scanner's part for figures written with words: Arabic and English number words and
their compounds, ordinals, fractions, vague quantities, months before a day, Roman numerals."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from summarize.trust.figures.scan_base import ScannerBase, date_value
from summarize.trust.figures.values import ORDINAL_SUFFIXES, Found, canon
from summarize.trust.figures.words import (
    CENTURIES,
    CENTURY_WORDS,
    EN_ARTICLES,
    EN_FRACTION_ORDINALS,
    FOREIGN_NUMBERS,
    ROMAN,
    WA,
    Entry,
    arabic_entry,
    decade_of,
    word_entry,
)

__all__ = ["WordScanner", "word_arithmetic"]


class WordScanner(ScannerBase):
    """Figures that start with a word token."""

    def words(self, i: int) -> int:
        t = self.toks[i]
        month = self.month_at(i)
        if month is not None:
            return self.month_then_day(i, month)
        roman = ROMAN.get(t.text)
        if roman is not None:
            prev = self.tok(i - 1)
            if prev is not None and prev.kind == "word" and prev.text[:1].isupper():
                return self.emit(i, Found(str(roman), "ordinal", i, weak=roman <= 2))
            return i + 1
        if t.key in EN_ARTICLES:
            return self.after_article(i)
        decade = self.decade(i)
        if decade is not None:
            return decade
        foreign = FOREIGN_NUMBERS.get(t.key)
        if foreign is not None and t.text[:1].isupper():
            prev = self.tok(i - 1)
            if prev is not None and prev.kind == "word" and prev.text[:1].isupper():
                # "Roma Tre", "Les Trois": a number word of a name, support only
                return self.emit(i, Found(str(foreign), "ordinal", i, weak=True))
        if word_entry(t) is None:
            return i + 1
        return self.number_words(i, i)

    def decade(self, i: int) -> int | None:
        """«التسعينيات», «تسعينات القرن العشرين», "the nineties": a decade (``90s``, or
        ``1990s`` with its century)."""
        t = self.toks[i]
        tens = decade_of(t.key)
        if tens is None:
            return None
        last, century = i, ""
        nxt, after = self.next_adjacent(i), self.next_adjacent(i + 1)
        if nxt is not None and after is not None and nxt.key in CENTURY_WORDS:
            hundreds = CENTURIES.get(after.key)
            if hundreds is not None:
                last, century = i + 2, str(hundreds)
        return self.emit(i, Found(f"{century}{tens}s", "decade", last))

    def month_then_day(self, i: int, month: tuple[str, int]) -> int:
        """ "July 4", "July 4th" (a date); a month with no day after it is a figure of its own
        (kind ``month``): «في أبريل» against "in May" is a changed month."""
        value, last = month
        day = self.next_adjacent(last)
        if (
            day is None
            or not self.toks[i].key.isascii()
            or not day.text.isdigit()
            or not 1 <= int(day.text) <= 31
        ):
            return self.emit(i, Found(value, "month", last))
        end = last + 1
        suffix = self.tok(end + 1)
        if suffix is not None and suffix.start == day.end and suffix.key in ORDINAL_SUFFIXES:
            end += 1
        return self.emit(i, Found(date_value(int(day.text), value), "date", end))

    def after_article(self, i: int) -> int:
        """ "a million", "a hundred", "a dozen", "a third", "a half"; any other "a" is skipped."""
        nxt = self.next_adjacent(i)
        if nxt is None:
            return i + 1
        if nxt.key in EN_FRACTION_ORDINALS:
            after = self.next_adjacent(i + 1)
            if after is not None and after.kind == "word" and after.key != "of":
                # "a third term", "a fourth child": an ordinal; "a third of", "a third." a share
                return self.emit(i, Found(str(EN_FRACTION_ORDINALS[nxt.key]), "ordinal", i + 1))
            value = Fraction(1, EN_FRACTION_ORDINALS[nxt.key])
            return self.emit(i, self.maybe_percent(Found(canon(value), "fraction", i + 1)))
        if nxt.key == "dozen":
            return self.emit(i, Found("12", "number", i + 1))
        found = word_entry(nxt)
        if found is None or found[0].role not in ("hundred", "scale", "frac"):
            return i + 1
        return self.number_words(i, i + 1, article=True)

    def number_words(self, first: int, i: int, *, article: bool = False) -> int:
        """A run of number words from token i (the mention starts at ``first``)."""
        found = word_entry(self.toks[i])
        assert found is not None
        entries = [found[0]]
        last = i
        while (step := self.join_next(last, entries)) is not None:
            last, entry = step
            entries.append(entry)
        result = self.word_value(entries, i, last, article=article)
        return i + 1 if result is None else self.emit(first, result)

    def join_next(self, last: int, entries: list[Entry]) -> tuple[int, Entry] | None:
        """The next number word that continues the run ending at token ``last``."""
        nxt = self.next_adjacent(last)
        hyphen = self.tok(last + 2)
        if nxt is not None and nxt.text == "-" and hyphen is not None:
            if nxt.start == self.toks[last].end and hyphen.start == nxt.end:
                nxt, last = hyphen, last + 1  # twenty-seven, two-thirds
        if nxt is None or nxt.kind != "word":
            return None
        prev = entries[-1]
        if nxt.key in ("and", "of", "a", "an"):
            return self.join_over(last + 1, nxt.key, entries)
        found = word_entry(nxt)
        if not nxt.key.isascii() and nxt.key.startswith(WA):
            # «وأحد» folds to «واحد»: inside a figure, read a leading «و» as "and" first.
            joined = arabic_entry(nxt.key[1:])
            if joined is not None and not joined[1]:
                found = joined[0], WA
        if found is None:
            return None
        entry, prefix = found
        if nxt.key.isascii():
            if nxt.key in EN_FRACTION_ORDINALS and prev.role == "unit" and prev.value == 1:
                return last + 1, Entry("frac", Fraction(EN_FRACTION_ORDINALS[nxt.key]))
            if prev.role in ("frac", "fraction", "approx") or entry.role == "approx":
                return None
            if entry.role == "unit" and prev.role == "unit":
                return None  # "one two": two figures
            if entry.role == "fracs" and prev.role != "unit":
                return None
            return last + 1, entry
        return self.join_arabic(last + 1, entry, prefix, prev)

    def join_over(self, word: int, joiner: str, entries: list[Entry]) -> tuple[int, Entry] | None:
        """English runs across "and" (three hundred and fifty), "of" (tens of thousands) and
        "a" (half a million)."""
        after = self.next_adjacent(word)
        found = word_entry(after) if after is not None else None
        if found is None:
            return None
        entry, prev = found[0], entries[-1]
        if joiner == "and" and any(e.role in ("hundred", "scale") for e in entries):
            return word + 1, entry
        if joiner == "of" and prev.role == "approx" and entry.role in ("scales", "approx"):
            return word + 1, entry
        if joiner in ("a", "an") and prev.role == "frac" and entry.role == "scale":
            return word + 1, entry
        return None

    @staticmethod
    def join_arabic(idx: int, entry: Entry, prefix: str, prev: Entry) -> tuple[int, Entry] | None:
        """Arabic runs: «خمسة وعشرون», «ثلاثة آلاف وخمسمائة», «أحد عشر», «مليون ونصف»."""
        if prev.role == "half":
            return None  # «مليون ونصف» ends the figure
        if prefix == WA:
            # «خمسة وعشرون», «مئة وخمسة», «ألف وتسعمائة»; «ثلاثة وأربعة» are two figures
            if entry.role == "tens" and prev.role in ("unit", "compound_unit"):
                return idx, entry
            roles = ("unit", "compound_unit", "tens", "hundreds", "hundred")
            if entry.role in roles and prev.role in (
                "hundred",
                "hundreds",
                "scale",
                "scales",
                "dual",
            ):
                return idx, entry
            if (
                entry.role == "frac"
                and entry.value == 2
                and prev.role in ("scale", "scales", "dual")
            ):
                return idx, Entry("half", Fraction(1, 2))
            return None
        if prefix:
            return None
        small = prev.role in ("unit", "compound_unit") and prev.value < 10
        if entry.role == "teen" and small:
            return idx, entry
        if entry.role == "unit" and entry.value == 10 and not entry.ordinal and small:
            return idx, Entry("teen", Fraction(10))  # «خمس عشرة», «الثامنة عشرة»: feminine teens
        if entry.role in ("hundred", "scale", "scales") and prev.role not in ("fraction", "fracs"):
            if prev.role != "frac" or entry.role == "scale":
                return idx, entry
        if entry.role == "fracs" and prev.role == "unit":
            return idx, entry
        return None

    def word_value(
        self, entries: list[Entry], first: int, last: int, *, article: bool
    ) -> Found | None:
        """The figure a run of number words stands for, or None (a lone «أحد» "one of")."""
        roles = [e.role for e in entries]
        bare_english_scale = roles == ["scale"] and self.toks[first].key.isascii() and not article
        if roles[0] == "approx" or roles == ["scales"] or bare_english_scale:
            magnitude = Fraction(1)
            for e in entries:
                magnitude *= e.value
            return Found("~" + canon(magnitude), "approximate", last)
        if roles == ["compound_unit"]:
            return None
        after = self.next_adjacent(last)
        if roles == ["scale"] and after is not None and after.key.startswith("ال"):
            return None  # «ألف الكاتب»: the verb (he wrote); «ألف» counts an indefinite noun
        if roles == ["fracs"]:
            return None  # "residential quarters", «أرباع»: no count, no share
        if roles[-1] in ("frac", "fracs", "fraction") and len(entries) <= 2:
            count = entries[0].value if len(entries) == 2 else Fraction(1)
            value = entries[-1].value if roles[-1] == "fraction" else count / entries[-1].value
            return self.maybe_percent(Found(canon(value), "fraction", last))
        value = word_arithmetic(entries)
        ordinal = any(e.ordinal for e in entries)
        if ordinal and value.denominator == 1 and 1 <= value <= 31:
            month = self.month_after(last)
            if month is not None:  # "fourth of July"
                return Found(date_value(value, month[0]), "date", month[1])
        weak = len(entries) == 1 and roles[0] == "unit" and value <= 2
        kind = "ordinal" if ordinal else "number"
        return self.maybe_percent(Found(canon(value), kind, last, weak))


def word_arithmetic(entries: Sequence[Entry]) -> Fraction:
    """Units add, «مئة»/hundred multiplies what precedes it within the group, a scale closes
    the group into the total («ثلاثة آلاف وخمسمائة» = 3 x 1000 + 500), «ونصف» adds half of the
    last scale («ثلاثة ملايين ونصف» = 3,500,000)."""
    total = current = Fraction(0)
    last_scale = Fraction(1)
    for e in entries:
        if e.role in ("unit", "compound_unit", "tens", "hundreds"):
            current += e.value
        elif e.role == "teen":
            current += 10
        elif e.role == "hundred":
            current = (current or Fraction(1)) * 100
        elif e.role in ("scale", "scales"):
            total += (current or Fraction(1)) * e.value
            current, last_scale = Fraction(0), e.value
        elif e.role == "dual":
            total += e.value
            last_scale = e.value / 2
        elif e.role == "frac":
            current = (current or Fraction(1)) / e.value
        elif e.role == "half":
            total += last_scale / 2
    return total + current
