"""Grouping articles into stories (summarize.stories.grouping): reprints and rewrites join,
roundups and an outlet's other stories do not, and the result does not depend on order."""

from __future__ import annotations

import random

from summarize.stories.figures import article_figures
from summarize.stories.grouping import (
    Doc,
    Grouping,
    central,
    content_terms,
    group,
    links,
    shingles,
    unlink_templates,
)
from tests.digest_support import DATA
from tests.samples import sample_paths


def doc(text: str, outlet: str | None = None, title: str | None = None) -> Doc:
    headline, _, body = text.partition("\n\n") if title is None else (title, "", text)
    return Doc(
        terms=tuple(content_terms(f"{headline}\n{body}")),
        headline=frozenset(content_terms(headline)),
        outlet=outlet,
    )


VERDICT = (DATA / "verdict.txt").read_text(encoding="utf-8")
REPRINT = (DATA / "wire-reprint.txt").read_text(encoding="utf-8")
SHORT = (DATA / "shortened.txt").read_text(encoding="utf-8")
SAMPLES = [p.read_text(encoding="utf-8") for p in sample_paths()]


def test_content_terms_are_folded_stemmed_and_without_figures() -> None:
    assert content_terms("أصدرت المحكمة في الرياض 555 حكماً") == ["اصدرت", "محكم", "رياض", "حكما"]
    assert shingles(["a", "b", "c", "d"], 3) == frozenset({"a b c", "b c d"})
    assert shingles(["a"], 3) == frozenset({"a"}) and shingles([], 3) == frozenset()


def test_a_reprint_cut_short_links_fully_and_unrelated_articles_do_not() -> None:
    docs = [doc(VERDICT), doc(SHORT), doc(REPRINT), *(doc(s) for s in SAMPLES)]
    sims = links(docs)
    assert sims[(0, 1)] > 0.95, "every shingle of the shortened copy is in the report"
    assert sims[(0, 2)] > 0.8
    assert not any(a > 2 or b > 2 for a, b in sims if sims[(a, b)] >= Grouping().link)
    assert group(docs, sims=sims) == [[0, 1, 2], *([i] for i in range(3, 3 + len(SAMPLES)))]
    assert central([0, 1, 2], sims) == 0


def test_order_does_not_change_the_stories() -> None:
    texts = [VERDICT, SHORT, REPRINT, *SAMPLES]
    order = list(range(len(texts)))
    random.Random(5).shuffle(order)
    docs = [doc(texts[i]) for i in order]
    shuffled = {frozenset(order[i] for i in story) for story in group(docs)}
    assert shuffled == {frozenset({0, 1, 2}), *(frozenset({i}) for i in range(3, len(texts)))}


STORY_B = (
    "أعلنت هيئة الطيران المدني افتتاح صالة جديدة في مطار الملك خالد الدولي بطاقة استيعابية "
    "تبلغ ثلاثة ملايين مسافر سنويا، وقالت إن الصالة ستخدم الرحلات الداخلية ابتداء من الشهر "
    "المقبل بعد اكتمال أعمال التجهيز والاختبار التي استمرت عاما كاملا. وأضافت الهيئة أن الصالة "
    "تضم ستين بوابة إلكترونية للسفر ومواقف تتسع لخمسة آلاف سيارة ومحطة للقطار تربطها بوسط "
    "المدينة، وأن تشغيلها سيتم على مراحل تبدأ بالرحلات المتجهة إلى جدة والدمام."
)


def test_a_roundup_joins_the_story_its_headline_names_and_chains_nothing() -> None:
    verdict_body = VERDICT.partition("\n\n")[2]
    roundup = doc(f"{verdict_body}\n\n{STORY_B}", title="افتتاح صالة جديدة في مطار الملك خالد")
    docs = [doc(VERDICT), doc(STORY_B, title="صالة جديدة لمطار الملك خالد الدولي"), roundup]
    stories = group(docs)
    assert [1, 2] in stories and [0] in stories, "the roundup's headline is about the airport"


def test_two_stories_of_one_outlet_stay_apart_unless_one_repeats_the_other() -> None:
    shared = VERDICT.partition("\n\n")[2].split("\n\n")
    one = "\n\n".join(shared[:3])
    other = "\n\n".join([shared[0], STORY_B])
    title = "المحكمة الجزائية تدين متهمين"
    apart = [doc(one, "okaz", title), doc(other, "okaz", title)]
    assert links(apart)[(0, 1)] < Grouping().same_outlet
    assert group(apart) == [[0], [1]]
    assert group([doc(one, "okaz", title), doc(other, "sabq", title)]) == [[0, 1]]
    same = [doc(VERDICT, "okaz"), doc(SHORT, "okaz")]
    assert group(same) == [[0, 1]], "an outlet's reprint of itself is one story"


def test_the_threshold_is_the_link_a_story_needs() -> None:
    docs = [doc(VERDICT), doc(SHORT), doc(REPRINT)]
    sims = links(docs)
    assert sims[(0, 2)] < 0.95 < sims[(0, 1)]
    assert group(docs, Grouping(link=0.3)) == [[0, 1, 2]]
    assert group(docs, Grouping(link=0.95)) == [[0, 1], [2]]


RESULTS = (
    "سجل صافي أرباح شركة {name} تراجعاً بنسبة {a}% في النصف الأول من العام الحالي مقارنة "
    "بالفترة المماثلة من العام السابق وبلغت {b} مليون ريال. وأوضحت الشركة في إعلان لها اليوم "
    "على موقع تداول أنها حققت صافي ربح خلال الربع الثاني بلغ {c} مليون ريال بانخفاض مقارنة "
    "بالربع المماثل من العام السابق، لتبلغ بذلك ربحية السهم {d} ريال، وأرجعت الشركة سبب "
    "الانخفاض إلى تراجع المبيعات والزيادة في تكلفتها خلال الفترة."
)


def test_one_template_filled_in_for_two_companies_is_two_stories() -> None:
    first = RESULTS.format(name="الصناعات الكهربائية", a=51, b=48.7, c=19.9, d=1.08)
    second = RESULTS.format(name="الصناعات الكيميائية", a=36, b=10.1, c=7.3, d=0.37)
    updated = RESULTS.format(name="الصناعات الكهربائية", a=51, b=48.7, c=19.9, d=1.18)
    title = "تراجع صافي أرباح الصناعات بنهاية النصف الأول"
    docs = [doc(first, title=title), doc(second, title=title), doc(updated, title=title)]
    sims = links(docs)
    assert sims[(0, 1)] >= Grouping().link, "the words alone link them"
    figures = {i: article_figures([t]) for i, t in enumerate([first, second, updated])}
    assert figures[0] == frozenset({"51%", "48700000", "19900000", "1.08"})
    kept = unlink_templates(sims, figures)
    assert (0, 1) not in kept and (1, 2) not in kept and (0, 2) in kept
    assert group(docs, sims=kept) == [[0, 2], [1]]
