"""Who wrote a story and from where: bylines, datelines with a name, and agency tags.

Arabic papers put them on a line of their own under the headline («جدة - واس:», «حسين هزازي
(جدة)», «الرياض: عماد المفوز», «بقلم شعيب بغادى») or glue them to the first sentence («سبق-
الباحة: انتقل إلى رحمة الله …»). They are not sentences: the text layer takes them out and
keeps the first one as the article's ``byline``.

A line is a byline only when it is made of short segments (names, places, outlets), separated
by «- : ، ( )», with a marker that no headline or sub-heading has: a byline word («بقلم»,
«كتب»), an agency or outlet, a known city, a closing «:», or a place in brackets. A person's
name alone counts only under the headline or at the end, and only when it starts with a given
name or a title («د.»).
"""

from __future__ import annotations

import re

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_ALEFS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})


def _key(word: str) -> str:
    """A word as the lists below hold it: no diacritics, one alef (not folded further:
    «على» is a preposition and «علي» a name)."""
    return _MARKS.sub("", word).translate(_ALEFS).casefold()


__all__ = [
    "AGENCIES",
    "PROSE_WORDS",
    "byline_prefix",
    "clean_byline",
    "has_prose_word",
    "is_agency_tag",
    "is_place_or_outlet",
    "is_byline",
    "is_name",
]

AGENCIES = frozenset(
    {
        "أ ف ب", "ا ف ب", "د ب أ", "أ ش أ", "رويترز", "وام", "واس", "قنا", "كونا", "بنا",
        "سبأ", "سانا", "الأناضول", "تاس", "سبوتنيك", "شينخوا", "كازينفورم", "وكالات",
        "يو بي آي", "يو بي أي", "أسوشيتد برس", "afp", "ap", "reuters", "tass", "xinhua", "kazinform",
        "dpa", "upi", "anadolu", "sputnik", "efe", "ansa", "الفرنسية", "الألمانية",
        # Maghreb and Levant wire services: MAP (Morocco), TAP (Tunisia), APS (Algeria),
        # Petra (Jordan), WAFA and Maan (Palestine), NNA (Lebanon)
        "و م ع", "ومع", "وات", "واج", "بترا", "وفا", "معا", "الوكالة الوطنية للإعلام",
        "map", "tap", "aps", "mena", "wam", "spa", "kuna", "qna", "petra", "wafa", "nna",
    }
)  # fmt: skip

# Outlets and desks that sign a story («سبق- الباحة:», «الجزيرة - المحليات:», «القاهرة - مكتب
# الجزيرة»): the Saudi, Gulf and pan-Arab papers and sites, folded.
_OUTLETS = frozenset(
    _key(w)
    for w in """
    سبق الوئام الجزيرة المدينة عكاظ الاقتصادية الوطن اليوم الرياض الحياة الخليج البيان الاتحاد
    الراية الشرق القبس الرأي الأهرام هسبريس الجوهرة العربية البلاد مكة الندوة الجريدة متابعة
    خاص خاصة وكالات عواصم المحليات مكتب الإلكتروني أونلاين مراسل مراسلنا مراسلة
    """.split()
)
# Words that open a byline: «بقلم …», «كتب - …», «إعداد: …».
_BYLINE_WORDS = frozenset(
    _key(w)
    for w in """
    بقلم كتب كتبت كتبه إعداد اعداد تقرير حوار ترجمة تصوير تحرير إشراف تحقيق تحليل شعر by
    """.split()
)
# Cities and countries that datelines name, folded: the Gulf, the Levant, Egypt, the Maghreb
# and the capitals that wire copy comes from.
_PLACES = frozenset(
    _key(w.replace("_", " "))
    for w in """
    الرياض جدة مكة مكة_المكرمة المدينة_المنورة الدمام الخبر الظهران الأحساء القطيف الجبيل الطائف
    أبها خميس_مشيط جازان جيزان نجران تبوك حائل بريدة عنيزة القصيم الباحة عرعر سكاكا الجوف ينبع
    القنفذة رابغ حفر_الباطن الخرج المجمعة الزلفي الدوادمي بيشة شرورة تيماء العلا الدرعية أملج
    المخواة صبيا الليث عسير الحد_الجنوبي المنطقة_الشرقية الشمالية
    الكويت المنامة الدوحة دبي أبوظبي أبو_ظبي الشارقة مسقط عمان البحرين قطر الإمارات السعودية
    القاهرة الإسكندرية بيروت دمشق حلب حمص بغداد البصرة أربيل الموصل القدس غزة رام_الله الخليل
    صنعاء عدن تعز الحديدة مأرب اليمن العراق سوريا لبنان الأردن مصر فلسطين ليبيا السودان
    تونس صفاقس سوسة نابل بنزرت القيروان قفصة الرباط الدار_البيضاء مراكش فاس طنجة أكادير الجزائر
    وهران قسنطينة طرابلس بنغازي مصراتة سبها نواكشوط الخرطوم المغرب موريتانيا
    واشنطن نيويورك لندن باريس برلين موسكو بكين طوكيو جنيف فيينا روما مدريد بروكسل أنقرة إسطنبول
    اسطنبول طهران كابول إسلام_آباد نيودلهي بانكوك سيول أثينا لوس_انجلوس لوس_أنجلوس ملبورن سيدني
    بيجين الفاتيكان ستوكهولم أمستردام أوسلو وارسو كييف ميونيخ باماكو أبوجا نيروبي أديس_أبابا
    """.split()
)
# Given names that open a person's name; with «عبد…» and «أبو …», and titles before them.
_GIVEN_NAMES = frozenset(
    _key(w)
    for w in """
    محمد أحمد محمود مصطفى علي عمر عثمان خالد سعد سعود سعيد سالم سلمان سليمان سلطان فهد فيصل
    فؤاد فايز فارس فراس ماجد مازن مالك مشعل منصور ناصر نايف نبيل نواف هاني هشام وليد ياسر يوسف
    يحيى يونس إبراهيم إسماعيل إياد بدر بندر تركي ثامر جابر جمال حامد حسن حسين حمد حمزة حمود خليل
    راشد رائد رياض زياد سامي سامر صالح صلاح طارق طلال عادل عصام عماد عمرو غازي غسان فتحي فواز
    قاسم كريم كمال لؤي ماهر مجدي محسن مراد مروان مساعد معاذ منير مهدي موسى نادر نزار نصر هادي
    هيثم وائل وسام ياسين يزيد أيمن أسامة أنس أكرم أمين أنور بشير بلال توفيق جعفر حاتم حازم حمدي
    رامي رضا رشيد زكريا زهير سمير شريف شوقي صابر طه عاطف عامر عباس عدنان عزيز علاء عيسى فادي
    فرج قيس لطفي مختار مصعب معتز منذر مهند ناجي نجيب نور هاشم وحيد وجدي يعقوب متعب مشاري مطلق
    هتان شيبان عافت عوض عيد غالب فالح فلاح ظافر سطام صقر جاسم جاسر حسام خلف راكان زايد زيد سهيل
    شاكر صادق صفوت عبيد عطية عقيل غانم فرحان مبارك مرزوق مسفر نافع نمر هزاع هلال حماد حمدان
    عزيزة سكينة فضل آدم رجاء رجا عايدة عليان فوزية منال
    فاطمة عائشة مريم زينب خديجة سارة نورة هند هدى منى ريم رضوى أسمهان سعاد ليلى سلمى سلوى سميرة
    أمل إيمان أسماء رانيا رنا دعاء هالة هيفاء لمياء نجلاء نادية وفاء عبير غادة شيماء ياسمين هاجر
    ريهام منيرة نوال أميرة مها سهام سناء بشرى جميلة حنان خلود دلال رحاب رشا سحر شروق عفاف لطيفة
    """.split()
)
_TITLES = frozenset(
    _key(w)
    for w in """د د. أ أ. م م. الدكتور الدكتورة الشيخ المهندس الأستاذ الأستاذة اللواء الركن العميد
    العقيد الفريق المقدم الرائد النقيب""".split()
)
# Words that never occur inside a name, place or outlet: a segment holding one is prose.
PROSE_WORDS = frozenset(
    _key(w)
    for w in """
    في على إلى الى عن مع أن إن هو هي هم التي الذي الذين كان كانت قد لا لم لن ما هذا هذه ذلك
    تلك بعد قبل خلال حول بين عند منذ حتى أو ثم بل كل يوم اليوم أمس
    """.split()
)
_NAME_PARTICLES = frozenset({"بن", "بنت", "ابن", "ابو", "ال"})  # «آل» keyed is «ال»
_SEPARATORS = re.compile(r"\s*[-–—:：،,/|]\s*|\s*[()]\s*")
_QUOTES = "«»\"“”'‘’"
_SEGMENT_MAX_WORDS = 4
_BYLINE_MAX_WORDS = 24
_FROM_PLACE = re.compile(r"^[*•\s]*(.{2,40}?)\s+من\s+([^\s:]+(?:\s[^\s:]+)?)$")
_NAME_MAX_WORDS = 5
# A byline glued to the first sentence ends at a colon or a dash within its first words.
_PREFIX_END = re.compile(r"\s*(?:[:：]|\s[-–—]\s)\s*(?=\S)")
_PREFIX_STOPS = '.!?؟«»"“”'
_PREFIX_MAX_CHARS = 80
_PREFIX_MAX_WORDS = 8


def has_prose_word(text: str) -> bool:
    """Whether TEXT holds a word no name, place or outlet has («في», «على», «التي» …)."""
    return any(w in PROSE_WORDS for w in _words(text))


def is_agency_tag(line: str) -> bool:
    """«(أ ف ب)», «(رويترز) -», and bare on a line of their own: «و م ع», «واس», «و.م.ع»."""
    inner = line.strip(" -–—:|").strip(_QUOTES)
    if inner.startswith("(") and inner.endswith(")"):
        inner = inner[1:-1]
    inner = " ".join(inner.replace(".", " ").split()).casefold()
    if inner in AGENCIES:
        return True
    tokens = inner.split()
    # Initials of an agency name: two to four single letters («و م ع», «د ب أ»).
    return 2 <= len(tokens) <= 4 and all(len(t) == 1 and t.isalpha() for t in tokens)


_WORD_EDGES = _QUOTES + "()[]*•:：،,-–—"
# «د.علي», «أ.د.سعد»: a title glued to the name.
_GLUED_TITLE = re.compile(r"(?<![^\W\d_])([^\W\d_])\.(?=[^\W\d_])")


def _words(segment: str) -> list[str]:
    spaced = _GLUED_TITLE.sub(r"\1. ", segment)
    return [_key(w.strip(_WORD_EDGES)) for w in spaced.split() if w.strip(_WORD_EDGES)]


def is_name(segment: str) -> bool:
    """A person's name: up to four words that open with a given name, «عبد…», «أبو» or a
    title («د.», «الشيخ»)."""
    words = _words(segment)
    titled = bool(words) and words[0] in _TITLES
    while words and words[0] in _TITLES:
        words = words[1:]
    if not 1 <= len(words) <= _NAME_MAX_WORDS or any(w in PROSE_WORDS for w in words):
        return False
    first = words[0]
    if titled or first in _GIVEN_NAMES or first.startswith(("عبد", "ابو")):
        return True
    # «فضل بن سعد البوعينين», «عليان آل سعدان»: a name's particles
    return len(words) >= 2 and any(w in _NAME_PARTICLES for w in words[1:])


def _family_name(segment: str) -> bool:
    """«بداح السبيعي», «رجا ساير المطيري»: a given name, then a family name with «ال»."""
    words = _words(segment)
    return (
        2 <= len(words) <= 3
        and not words[0].startswith("ال")
        and words[-1].startswith("ال")
        and not any(w in PROSE_WORDS for w in words)
    )


def is_place_or_outlet(segment: str) -> bool:
    """«الرياض», «واس», «المدينة»: a known place, an agency, an outlet or desk."""
    return _marker(segment)


def _marker(segment: str) -> bool:
    """A segment that only a byline has: an agency, an outlet or desk, or a known place."""
    folded = " ".join(_words(segment))
    if not folded:
        return False
    if is_agency_tag(segment) or folded in _PLACES:
        return True
    return any(w in _OUTLETS for w in folded.split())


def _place_and_name(segment: str) -> bool:
    """«الرياض فهد الدوس», «جدة وليد العمير»: a known place, then a person's name."""
    words = segment.split()
    for k in (1, 2):
        if " ".join(_words(" ".join(words[:k]))) in _PLACES and is_name(" ".join(words[k:])):
            return True
    return False


def _segments(line: str) -> list[str]:
    return [s for s in (p.strip(_QUOTES + " ") for p in _SEPARATORS.split(line)) if s]


def _is_signature(line: str, *, first: bool) -> bool:
    """Segments that are names, places and outlets, with a marker."""
    stripped = line.strip().strip("*• ")
    if len(stripped.split()) > _BYLINE_MAX_WORDS or stripped[-1:] in ".!?؟":
        return False
    segments = _segments(stripped)
    if not segments or len(segments) > 8:
        return False
    if (
        not first
        and len(segments) == 2
        and _marker(segments[0])
        and 2 <= len(_words(segments[1])) <= 3
        and not has_prose_word(segments[1])
    ):
        return True  # «أربيل: دلشاد عبد الله»: a place, then a name the lists do not know
    for segment in segments:
        words = _words(segment)
        if _marker(segment) and len(words) <= 2:  # «اليوم»: the paper, not "today"
            continue
        if len(words) > _SEGMENT_MAX_WORDS or any(w in PROSE_WORDS for w in words):
            return False
        # A long segment must be a name or a marker: «مكتب الجزيرة», «هتان أبو عظمة»; in
        # brackets, a place («(الداير بني مالك)»).
        if len(words) >= 3 and not (
            is_name(segment) or _marker(segment) or _place_and_name(segment)
        ):
            if not re.search(r"\(\s*" + re.escape(segment) + r"\s*\)", stripped):
                return False
    colon_end = stripped.endswith((":", "："))
    bracketed = re.search(r"\([^()]{2,30}\)\s*:?$", stripped) is not None
    markers = sum(_marker(s) for s in segments)
    names = sum(is_name(s) or _place_and_name(s) for s in segments)
    if first:  # the first line may be a headline: only strong evidence
        return colon_end or bracketed and names > 0 or any(is_agency_tag(s) for s in segments)
    if len(segments) == 1:  # «الرياض فهد الدوس»: a place, then a name
        return names > 0
    return markers + names > 0 or colon_end


def _from_place(line: str) -> bool:
    """«"الاقتصادية" من الرياض», «منال الأحمدي من جدة»: a name or outlet «from» a place."""
    match = _FROM_PLACE.match(line.strip().rstrip(":： "))
    if match is None:
        return False
    who, where = match.group(1), match.group(2)
    if any(w in PROSE_WORDS for w in _words(who)) or len(_words(who)) > _SEGMENT_MAX_WORDS:
        return False
    # a known place, and a name, an outlet, or two or three words of a foreign name
    return " ".join(_words(where)) in _PLACES and (
        is_name(who) or _marker(who) or 2 <= len(_words(who)) <= 3
    )


def is_byline(line: str, *, first: bool = False, alone: bool = False) -> bool:
    """Whether a stripped line is a byline or a dateline with a name.

    FIRST: the line opens the article, where a headline would be, so only strong evidence
    counts. ALONE: the line stands right under the headline or at the article's end, where a
    columnist's bare name («سطام المقرن») is a byline too.
    """
    if not line or len(line.split()) > _BYLINE_MAX_WORDS or line.rstrip()[-1] in ".!?؟…":
        return False
    words = _words(line)
    if words and words[0] in _BYLINE_WORDS and len(words) <= _NAME_MAX_WORDS + 2:
        return not any(w in PROSE_WORDS for w in words)
    if _is_signature(line, first=first) or not first and _from_place(line):
        return True
    bare = line.strip().strip("*• ").rstrip(":： ")
    if not alone or _segments(bare)[1:]:
        return False
    # A columnist's name, or the outlet's own voice («كلمة الاقتصادية»).
    return is_name(bare) or _family_name(bare) or len(_words(bare)) <= 2 and _marker(bare)


def byline_prefix(line: str) -> int | None:
    """Where the text starts after a byline glued to the start of LINE («سبق- الباحة: انتقل…»,
    «واس - الكويت : أعرب…»), or None. The byline ends at a colon or a spaced dash within its
    first words; the longest that is a byline wins."""
    ends = sorted(
        (m for m in _PREFIX_END.finditer(line, 0, _PREFIX_MAX_CHARS)), key=lambda m: -m.start()
    )
    for match in ends:
        candidate = line[: match.start()]
        if any(c in candidate for c in _PREFIX_STOPS) or candidate.count("(") != candidate.count(
            ")"
        ):  # «بروكسل (30/10 – 33)»: not its end
            continue
        if len(candidate.split()) > _PREFIX_MAX_WORDS or len(_segments(candidate)) < 2:
            continue
        if not _is_signature(candidate + ":", first=False):
            continue
        if len(line[match.end() :].split()) < 3:  # a label and its value, not a byline
            continue
        return match.end()
    return None


def clean_byline(text: str) -> str:
    """A byline as shown: the separators at its ends dropped, spacing unified."""
    return " ".join(text.split()).strip(" -–—:：،,|")
