"""Names in summary lines: what reads as a name, what supports one, and what is never a name.

Each case below is one seen on real text: name swaps of the UD Arabic-PUD benchmark
(bench/check_pud.py) and rewrites of one Saudi outlet's copy by another (bench/check_rewrites.py).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from summarize.text.fold import fold
from summarize.trust import check_translation_line, lexicon
from summarize.trust.lexicon import reads_as_name, word_frequency
from summarize.trust.names import NameLexicon, unsupported_names

ARTICLE = (
    "استقبل خادم الحرمين الشريفين الملك سلمان بن عبد العزيز في قصر السلام بجدة وزير الدفاع "
    "الأمريكي أشتون كارتر والوفد المرافق له. وحضر الاستقبال وزير الثقافة والإعلام عادل الطريفي "
    "ووزير الخارجية عادل الجبير. وبحث الجانبان العلاقات بين البلدين ومستجدات الأوضاع في المنطقة. "
    "وقال كارتر إن الولايات المتحدة ملتزمة بأمن المنطقة. وتوجه الوفد بعد ذلك إلى بريطانيا ثم "
    "إلى مدينة برمنغهام في منتزه أبو خيال."
)


def flagged(line: str, article: str = ARTICLE) -> list[str]:
    return [m.text for m in unsupported_names(line, NameLexicon([article]))]


# --- the lexicon -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    [
        "ترامب",  # frequent, but «الترامب», «ترامبه» do not occur
        "بوتين",
        "أوباما",
        "دونالد",
        "كيبلينغ",  # rare: no family at all
        "تايومن",  # unknown to general Arabic
        "وترامب",  # behind a conjunction
        "بفرانكو",  # behind a preposition
    ],
)
def test_a_name_reads_as_a_name(word: str) -> None:
    assert reads_as_name(word)


@pytest.mark.parametrize(
    "word",
    [
        "تصريحات",
        "الأضواء",
        "مسلطة",  # rare, but «مسلط», «المسلطة» occur
        "مؤكدا",  # the accusative of a participle
        "يتعين",  # a verb: «تعين», «تتعين»
        "سيكون",  # the future
        "ضمت",  # a short verb with its feminine ending
        "ربما",  # too frequent to be a name
        "الثقافة",
    ],
)
def test_a_common_word_does_not_read_as_a_name(word: str) -> None:
    assert not reads_as_name(word)


def test_the_lexicon_is_folded_as_the_checks_fold() -> None:
    assert word_frequency(fold("إسرائيل")) > 0
    assert word_frequency(fold("إسرائيل")) == word_frequency(fold("اسرائيل"))
    assert word_frequency(fold("مُؤكَّدًا")) == word_frequency(fold("مؤكدا")) > 0


# --- names that only the lexicon marks --------------------------------------------------------


def test_a_name_with_no_sign_before_it_is_unsupported() -> None:
    assert flagged("والتقى بوتين الملك سلمان في جدة.") == ["بوتين"]
    assert flagged("وبحث الجانبان مع ترامب العلاقات بين البلدين.") == ["ترامب"]


def test_adjacent_names_are_one_mention() -> None:
    assert flagged("وبحث الملك سلمان مع دونالد ترامب العلاقات.") == ["دونالد ترامب"]


def test_a_paraphrase_in_common_words_is_not_a_name() -> None:
    line = "وأكد الملك مؤخراً حرص بلاده على تعزيز التعاون الدفاعي، مشيراً إلى أهمية الزيارة."
    assert flagged(line) == []


# --- the same name in another form ------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "واستقبل الملك سلمان بن عبدالعزيز الوزير كارتر.",  # «عبد العزيز» in the article
        "وقال وزير الدفاعالأميركي كارتر إن المنطقة مهمة.",  # a space lost in copy
        "وزار الوفد مدينة برمنجهام.",  # «برمنغهام»: another transliteration
        "وتوجه الوفد إلى المملكة المتحدة.",  # «بريطانيا»: the same place
        "وقال لكارتر إن الولايات المتحدة ملتزمة.",  # a clitic
        "وأقيم الحفل في متنزه أبو خيال.",  # «منتزه»: the word before «أبو» is not a name
    ],
)
def test_the_same_name_in_another_form_is_supported(line: str) -> None:
    assert flagged(line) == []


def test_words_written_together_are_supported_the_other_way_round() -> None:
    article = "استقبل الملك سلمان بن عبدالعزيز وزير الدفاع الأمريكي."
    assert flagged("استقبل الملك سلمان بن عبد العزيز الوزير.", article) == []


# --- what is never a name ---------------------------------------------------------------------


def test_honorifics_ranks_and_institutions_after_a_title_are_not_names() -> None:
    line = (
        "وحضر الاستقبال معالي وزير الثقافة والإعلام عادل الطريفي ومعالي وزير الخارجية الأستاذ "
        "عادل الجبير وصاحب السمو الملكي الفريق أول ركن عادل الجبير."
    )
    assert flagged(line) == []


def test_an_adverb_after_a_speaker_is_not_a_name() -> None:
    assert flagged("وقال كارتر أمس إن الولايات المتحدة ملتزمة بأمن المنطقة.") == []


@pytest.mark.parametrize(
    "line",
    [
        "وتقدم الطلبات عبر موقع الوزارة http://www.mcs.gov.sa/Pages/Default.aspx حتى الخميس.",
        "ولمعرفة الشروط زيارة موقع المديرية www.gdp.gov.sa أو الكتابة إلى info@gdp.gov.sa.",
    ],
)
def test_a_web_or_mail_address_is_not_a_name(line: str) -> None:
    assert flagged(line) == []


def test_a_month_is_not_a_name() -> None:
    assert flagged("وبحث الجانبان في حزيران العلاقات بين البلدين.") == []


def test_a_swapped_name_after_a_title_is_still_caught() -> None:
    line = "وحضر الاستقبال وزير الخارجية عادل الطريفي ووزير الثقافة فيصل الجبير."
    assert flagged(line) == ["فيصل"]


# --- the cost --------------------------------------------------------------------------------


def test_translation_checks_never_load_the_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> dict[str, float]:
        raise AssertionError("the translation checks loaded the Arabic lexicon")

    monkeypatch.setattr(lexicon, "_frequencies", refuse)
    ar = "وقال الرئيس الروسي فلاديمير بوتين إن المنظمة (SCO) ستجتمع في فرنسا."
    en = "Russian President Vladimir Putin said the SCO would meet in Germany."
    assert [c.value for c in check_translation_line(ar, en)] == ["فرنسا"]


def test_importing_the_checks_does_not_read_the_lexicon() -> None:
    probe = (
        "import sys, summarize.trust, summarize.pipeline.checking\nprint('wordfreq' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
