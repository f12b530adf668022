"""Tests for summarize.text: normalization, furniture, titles and Arabic sentence splitting."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from summarize.text import (
    Sentence,
    arabic_ratio,
    find_title,
    normalize,
    paragraphs,
    read_document,
    split_sentences,
    strip_furniture,
    strip_furniture_explained,
)
from tests.samples import SAMPLES_DIR as SAMPLES
from tests.samples import sample_paths

ROOT = Path(__file__).resolve().parent.parent

GOLD = Path(__file__).resolve().parent / "data" / "sentences_gold"


def sample(name: str) -> str:
    return normalize((SAMPLES / f"{name}.txt").read_text(encoding="utf-8"))


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


# --------------------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("سلام\r\nعليكم", "سلام\nعليكم", id="crlf"),
        pytest.param("سلام\rعليكم", "سلام\nعليكم", id="cr"),
        pytest.param("أ\u2028ب\u2029ج\x0bد\x0ce\x85f", "أ\nب\nج\nد\ne\nf", id="unicode-breaks"),
        pytest.param("كلمة\tو\u00a0كلمة\u2003ثالثة", "كلمة و كلمة ثالثة", id="spaces"),
        pytest.param("واحد    اثنان", "واحد اثنان", id="space-runs"),
        pytest.param("  سطر  \n   \n\n\n\nسطر آخر  ", "سطر\n\nسطر آخر", id="lines-and-blanks"),
        pytest.param("أ\n\n\nب\n \n \nج", "أ\n\nب\n\nج", id="blank-lines-collapse"),
        pytest.param("أ\nب", "أ\nب", id="single-newline-kept"),
        pytest.param("كـــبير", "كبير", id="tatweel"),
        pytest.param("كا\u200bزا\u200cخ\u200dستان\u2060\ufeff", "كازاخستان", id="zero-width"),
        pytest.param("\u200fقطر\u200e \u202bو\u202cعمان\u2066\u2069\u061c", "قطر وعمان", id="bidi"),
        pytest.param("أ\x00ب\x07ج\x1bد\x7f", "أبجد", id="controls"),
        pytest.param("أ\ud800ب", "أب", id="lone-surrogate"),
        pytest.param("\ufefb\ufe8e\ufedf", "لاال", id="presentation-forms"),
        pytest.param("\ufdf2", "الله", id="ligature"),
        pytest.param("e\u0301", "\u00e9", id="nfc"),
        pytest.param("قال: «نعم»، ثم سأل: لماذا؟", "قال: «نعم»، ثم سأل: لماذا؟", id="punct"),
        pytest.param("٣٫٥ و 3.5 و ١٢٣", "٣٫٥ و 3.5 و ١٢٣", id="digits"),
        pytest.param("", "", id="empty"),
        pytest.param(" \n\t\u00a0 ", "", id="whitespace-only"),
    ],
)
def test_normalize_rules(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_presentation_form_with_space_is_idempotent() -> None:
    once = normalize("ب \ufe70ت")  # NFKC(U+FE70) is a space followed by a fathatan
    assert normalize(once) == once
    assert "  " not in once


def test_normalize_tatweel_between_letter_and_mark_composes() -> None:
    # ا + tatweel + madda: once the tatweel goes, NFC must see the pair and make آ.
    assert normalize("\u0627\u0640\u0653") == "\u0622"


@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.stem)
def test_normalize_samples_idempotent(path: Path) -> None:
    once = normalize(path.read_text(encoding="utf-8"))
    assert normalize(once) == once
    assert "\u00a0" not in once


# --------------------------------------------------------------------------- furniture

REMOVED = {
    "kazakhstan-cica-opinion-glued-stops": ["بقلم شعيب بغادى"],
    "kazakhstan-regional-hub-with-page-counters": ["0", "133"],
    "qatar-emir-state-visit-kazakhstan": [],
    "tokayev-eurasian-security-sco": ["الصورة: الموقع الرسمي لرئيس روسيا", "المصدر: تاس"],
    "tokayev-sco-interview-with-lang-switcher": [
        "Ru En",
        "٠١ يوليو",
        "الصورة: الموقع الرسمي لرئيس روسيا",
        "المصدر: تاس",
    ],
}


@pytest.mark.parametrize(("name", "removed"), REMOVED.items())
def test_strip_furniture_samples(name: str, removed: list[str]) -> None:
    text = sample(name)
    clean, got = strip_furniture(text)
    assert got == removed
    assert normalize(clean) == clean
    assert "\n\n\n" not in clean
    kept = [line for line in text.split("\n") if line not in removed]
    assert [line for line in clean.split("\n") if line] == [line for line in kept if line]


def test_strip_furniture_keeps_headline_and_subheadings_and_takes_the_byline() -> None:
    clean, removed = strip_furniture_explained(sample("kazakhstan-cica-opinion-glued-stops"))
    assert "بقلم شعيب بغادى" not in clean.split("\n")
    assert [(r.text, r.rule) for r in removed] == [("بقلم شعيب بغادى", "byline")]
    assert read_document(sample("kazakhstan-cica-opinion-glued-stops")).byline == "بقلم شعيب بغادى"
    clean, _ = strip_furniture(sample("tokayev-sco-interview-with-lang-switcher"))
    lines = clean.split("\n")
    assert lines[0].startswith("رئيس كازاخستان يدعو")
    assert 'قمة منظمة "شنغهاي" للتعاون في كازاخستان' in lines


@pytest.mark.parametrize(
    "line",
    [
        "Ru En",
        "EN | AR",
        "English عربي",
        "العربية / English / Русский",
        "0",
        "133",
        "٠١",
        "***",
        "٠١ يوليو",
        "1 July 2024",
        "30/10/2024",
        "الثلاثاء 30 أكتوبر 2024 - 10:30",
        "3 ابريل/نيسان 2024",
        "آخر تحديث: 12 كانون الثاني 2024",
        "الصورة: الموقع الرسمي لرئيس روسيا",
        "صورة: أرشيف",
        "المصدر: تاس",
        "مصدر الصورة Getty Images",
        "مصدر الصورة،Getty Images",
        "Photo: Reuters",
        "Source: TASS",
        "(أ ف ب)",
        "(رويترز)",
        "(AFP)",
        "(د ب أ) -",
        "شارك",
        "طباعة",
        "Share",
        "Print",
        "شارك طباعة",
    ],
)
def test_furniture_lines_are_removed(line: str) -> None:
    clean, removed = strip_furniture(f"عنوان الخبر\n{line}\nنص الخبر هنا.")
    assert removed == [line]
    assert clean == "عنوان الخبر\nنص الخبر هنا."


@pytest.mark.parametrize(
    "line",
    [
        "كازاخستان تعزز العلاقات مع زعماء الدول المجاورة",
        "الوضع في أفغانستان والشرق الأوسط",
        "قمة 4 يوليو في أستانا",
        "وقال المصدر إن الاجتماع سيعقد في 4 يوليو.",
        "المصدر: قالت وزارة الخارجية في بيان طويل إن الوفد سيصل غداً إلى العاصمة لبحث ملفات التعاون.",
        "شارك الرئيس في القمة.",
        "English is widely spoken in Astana.",
        "(يمثله نائب رئيس مجلس الوزراء)",
        "في 2024",
    ],
)
def test_prose_lines_are_kept(line: str) -> None:
    text = f"عنوان\n{line}\nنص."
    assert strip_furniture(text) == (text, [])


def test_strip_furniture_keeps_blank_line_structure() -> None:
    clean, removed = strip_furniture("عنوان\n\n0\n\n133\n\nنص الخبر.")
    assert removed == ["0", "133"]
    assert clean == "عنوان\n\nنص الخبر."


# --------------------------------------------------------------------------- ratio, title


def test_arabic_ratio() -> None:
    assert arabic_ratio("") == 0.0
    assert arabic_ratio("123 ... ٣٤٥") == 0.0
    assert arabic_ratio("سلام") == 1.0
    assert arabic_ratio("سلام CICA") == pytest.approx(0.5)
    assert arabic_ratio("\ufefb") == 1.0  # a presentation form is still Arabic


def test_arabic_ratio_samples() -> None:
    for path in sample_paths():
        assert arabic_ratio(path.read_text(encoding="utf-8")) > 0.9


TITLES = {
    "kazakhstan-cica-opinion-glued-stops": (
        "كازخستان دولة كبرى تنجح في تعزيز التعاون الإقليمي والدولي"
    ),
    "kazakhstan-regional-hub-with-page-counters": "كازاخستان تعزز العلاقات مع زعماء الدول المجاورة",
    "qatar-emir-state-visit-kazakhstan": None,
    "tokayev-eurasian-security-sco": None,
    "tokayev-sco-interview-with-lang-switcher": (
        'رئيس كازاخستان يدعو إلى توسيع علاقات منظمة "شنغهاي" للتعاون مع المنظمات الأخرى'
    ),
}


@pytest.mark.parametrize(("name", "title"), TITLES.items())
def test_find_title_samples(name: str, title: str | None) -> None:
    clean, _ = strip_furniture(sample(name))
    assert find_title(clean) == title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("عنوان قصير\nنص.", "عنوان قصير"),
        ("عنوان قصير", None),  # nothing follows
        ("جملة كاملة.\nنص.", None),
        ("هل تنجح الوساطة؟\nنص.", None),
        ("«عنوان بين علامتي تنصيص.»\nنص.", None),
        ("وقال الرئيس:\nنص.", None),
        (" ".join(["كلمة"] * 21) + "\nنص.", None),
        (" ".join(["كلمة"] * 20) + "\nنص.", " ".join(["كلمة"] * 20)),
        ("", None),
    ],
)
def test_find_title_rules(text: str, title: str | None) -> None:
    assert find_title(text) == title


# --------------------------------------------------------------------------- sentences


def test_glued_full_stops_in_sample() -> None:
    got = texts(sample("kazakhstan-cica-opinion-glued-stops"))
    assert any(s.endswith("والثقة الجماعية والسلام.") for s in got)
    assert any(s.startswith("ونظراً للسمعة الطيبة") for s in got)
    assert any(s.endswith("بحر آرال (IFAS).") for s in got)
    assert any(s.startswith("وفي عام 2023، تولت") for s in got)
    assert any(s.startswith("ومن المقرر أن تعقد القمة المقبلة") for s in got)
    assert not any("." in s[:-1] and ".و" in s for s in got)
    assert any("أكثر من 3.5 مليار نسمة" in s for s in got)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("والسلام.ونظراً للسمعة.", ["والسلام.", "ونظراً للسمعة."], id="glued"),
        pytest.param("(IFAS).وفي عام 2023.", ["(IFAS).", "وفي عام 2023."], id="glued-bracket"),
        pytest.param("عام 2024.ومن المقرر.", ["عام 2024.", "ومن المقرر."], id="glued-digit"),
        pytest.param("قال.«نعم» قالها.", ["قال.", "«نعم» قالها."], id="glued-opening-quote"),
        pytest.param("نمو 3.5 في المئة. ثم", ["نمو 3.5 في المئة.", "ثم"], id="decimal"),
        pytest.param("بلغ ٣٫٥ مليار و3,5 طن.", ["بلغ ٣٫٥ مليار و3,5 طن."], id="decimal-sep"),
        pytest.param(
            "في 30/10 و1.7.2024 و2024.07.01 عند 10.30 صباحاً.",
            ["في 30/10 و1.7.2024 و2024.07.01 عند 10.30 صباحاً."],
            id="dates-times",
        ),
        pytest.param("قال، ثم أضاف؛ وختم: نعم.", ["قال، ثم أضاف؛ وختم: نعم."], id="comma"),
        pytest.param(
            "زوروا https://www.example.com/a.b?c=1. ثم www.site.org/ar. وأيضاً",
            ["زوروا https://www.example.com/a.b?c=1.", "ثم www.site.org/ar.", "وأيضاً"],
            id="urls",
        ),
        pytest.param(
            "الموقع kazinform.kz ينشر التقرير report.pdf يومياً.",
            ["الموقع kazinform.kz ينشر التقرير report.pdf يومياً."],
            id="domain-file",
        ),
        pytest.param(
            "راسلوا info@news.example.com.وقال",
            ["راسلوا info@news.example.com.", "وقال"],
            id="email",
        ),
        pytest.param(
            "قال د. أحمد و أ. سعيد و م. خالد وأ.د. منى كلاماً.",
            ["قال د. أحمد و أ. سعيد و م. خالد وأ.د. منى كلاماً."],
            id="arabic-abbreviations",
        ),
        pytest.param("وقال د.محمد إنه.", ["وقال د.محمد إنه."], id="glued-abbreviation"),
        pytest.param("في عام 300 ق.م كانت.", ["في عام 300 ق.م كانت."], id="qm-mid"),
        pytest.param("نحو عام 450 ق.م. وكان", ["نحو عام 450 ق.م.", "وكان"], id="qm-final"),
        pytest.param("نحو عام 450 ق.م.وكان", ["نحو عام 450 ق.م.", "وكان"], id="qm-glued"),
        pytest.param("تأسست عام 1992م. وكان", ["تأسست عام 1992م.", "وكان"], id="era"),
        pytest.param("تأسست عام 1992م.وكان", ["تأسست عام 1992م.", "وكان"], id="era-glued"),
        pytest.param("قال أ.د.محمد إنه.", ["قال أ.د.محمد إنه."], id="glued-prof"),
        pytest.param(
            "Dr. Smith and Mr. Brown met U.S. officials, e.g. the envoy, i.e. him, etc. here.",
            ["Dr. Smith and Mr. Brown met U.S. officials, e.g. the envoy, i.e. him, etc. here."],
            id="latin-abbreviations",
        ),
        pytest.param("قال J. Smith إن.", ["قال J. Smith إن."], id="initial"),
        pytest.param(
            'قال: "انتهى." ثم «ذهب.» وبعدها (رحل.) ثم',
            ['قال: "انتهى."', "ثم «ذهب.»", "وبعدها (رحل.)", "ثم"],
            id="closers",
        ),
        pytest.param('أكد "أ". "ب" قال.', ['أكد "أ".', '"ب" قال.'], id="straight-quotes"),
        pytest.param('قال "نعم.".وبعد', ['قال "نعم.".', "وبعد"], id="quote-stop"),
        pytest.param('قال."نعم" وبعد', ["قال.", '"نعم" وبعد'], id="quote-opens-next"),
        pytest.param("هل حضر؟ نعم؟!لا", ["هل حضر؟", "نعم؟!", "لا"], id="question"),
        pytest.param("وماذا بعد… ربما... لا!", ["وماذا بعد…", "ربما...", "لا!"], id="ellipsis"),
        pytest.param("قال (...) ثم ذهب.", ["قال (...) ثم ذهب."], id="elision"),
        pytest.param("1. البند الأول.", ["1. البند الأول."], id="list-number"),
        pytest.param("سطر بلا نقطة\nسطر ثان", ["سطر بلا نقطة", "سطر ثان"], id="line-break"),
        pytest.param("...", ["..."], id="only-punctuation"),
        pytest.param("", [], id="empty"),
    ],
)
def test_split_sentences_cases(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_split_sentences_offsets_and_paragraphs() -> None:
    text = "عنوان\n\nالجملة الأولى. الجملة الثانية.\nسطر ثالث\n\nفقرة أخيرة؟"
    got = split_sentences(text)
    assert [(s.text, s.paragraph) for s in got] == [
        ("عنوان", 0),
        ("الجملة الأولى.", 1),
        ("الجملة الثانية.", 1),
        ("سطر ثالث", 1),
        ("فقرة أخيرة؟", 2),
    ]
    assert all(text[s.start : s.end] == s.text for s in got)
    assert [len(group) for group in paragraphs(got)] == [1, 3, 1]
    assert paragraphs([]) == []


def test_split_sentences_samples_invariants() -> None:
    for path in sample_paths():
        text, _ = strip_furniture(normalize(path.read_text(encoding="utf-8")))
        got = split_sentences(text)
        position = 0
        for s in got:
            assert text[position : s.start].strip() == ""
            assert s.text == text[s.start : s.end] == s.text.strip() != ""
            position = s.end
        assert text[position:].strip() == ""


def test_sentence_is_frozen() -> None:
    s = Sentence("نص.", 0, 3, 0)
    with pytest.raises(AttributeError):
        s.text = "x"  # type: ignore[misc]


# --------------------------------------------------------------------------- gold F1


def _non_space_ends(sentences: Sequence[str]) -> set[int]:
    """Sentence ends, counted in non-space characters, so whitespace choices do not matter."""
    ends: set[int] = set()
    position = 0
    for sentence in sentences:
        position += sum(1 for char in sentence if not char.isspace())
        ends.add(position)
    ends.discard(position)  # the end of the text is a boundary for free
    return ends


def boundary_counts(predicted: Sequence[str], gold: Sequence[str]) -> tuple[int, int, int]:
    """(correct, predicted, gold) boundary counts, for micro-averaging over documents."""
    found, truth = _non_space_ends(predicted), _non_space_ends(gold)
    return len(found & truth), len(found), len(truth)


def _f1(hits: int, found: int, truth: int) -> float:
    if not found and not truth:
        return 1.0
    return 2 * hits / (found + truth)


def boundary_f1(predicted: Sequence[str], gold: Sequence[str]) -> float:
    """F1 of sentence boundaries (the text's end excluded); 1.0 when neither has any."""
    return _f1(*boundary_counts(predicted, gold))


def test_boundary_f1_helper() -> None:
    assert boundary_f1(["أ.", "ب."], ["أ.", "ب."]) == 1.0
    assert boundary_f1(["أ. ب."], ["أ.", "ب."]) == 0.0
    assert boundary_f1(["أ.", "ب.", "ج."], ["أ. ب.", "ج."]) == pytest.approx(2 / 3)
    assert boundary_f1(["x"], ["x"]) == 1.0


def gold_sentences() -> list[list[str]]:
    documents = []
    for path in sorted(GOLD.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        documents.append([line.strip() for line in lines if line.strip()])
    return documents


def join_glued(sentences: Sequence[str]) -> str:
    """Join as careless copy does: no space before a sentence that starts with an Arabic letter."""
    out = sentences[0]
    for sentence in sentences[1:]:
        out += ("" if "\u0621" <= sentence[0] <= "\u064a" else " ") + sentence
    return out


def test_gold_set_is_normalized_and_large_enough() -> None:
    documents = gold_sentences()
    assert sum(len(d) for d in documents) >= 60
    for document in documents:
        for sentence in document:
            assert normalize(sentence) == sentence


@pytest.mark.parametrize("style", ["spaced", "glued"])
def test_gold_sentence_f1(style: str) -> None:
    hits = found = truth = 0
    for document in gold_sentences():
        text = " ".join(document) if style == "spaced" else join_glued(document)
        got = texts(text)
        assert "".join("".join(got).split()) == "".join(text.split())  # nothing lost
        h, f, t = boundary_counts(got, document)
        hits, found, truth = hits + h, found + f, truth + t
    score = _f1(hits, found, truth)
    assert score >= 0.98, f"boundary F1 {score:.3f} ({style}): {hits} right of {found}/{truth}"
