"""The punctuation and the Arabic vowel marks that the sentence rules share."""

from __future__ import annotations

import re

__all__ = ["CLOSERS", "OPENERS", "TERMINALS", "VOWEL_MARKS", "WINDOW"]

TERMINALS = ".!?؟…\u06d4\u203c\u2047\u2048\u2049"
CLOSERS = "\"'”’»›)]}〉》」』"
OPENERS = "\"'“‘«‹([{〈《「『"
# Harakat, tanween, the dagger alif and the tatweel: dropped before a word is looked up.
VOWEL_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
# How far around a mark the rules look (a sentence's opening words, the next words, a short
# quote): a bound, so that a line of a million characters costs no more per mark than a short one.
WINDOW = 300
