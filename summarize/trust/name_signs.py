"""The words around a name in Arabic news, and the words that are never names.

A title («الرئيس», «معالي», «الفريق»), a classifier («مدينة», «شركة»), a name particle («بن»,
«آل», «أبو») or a verb of saying («قال») marks the words after it as a name; role words
(«الوزراء», «العام», «هيئة»), common verbs and adverbs of time, place and means («أمس»,
«بلاده», «بواسطة») continue or end such a chain without being names. Used by
:mod:`summarize.trust.names`; every set holds folded words (:func:`summarize.text.fold.fold`).
"""

from __future__ import annotations

from summarize.text.fold import fold
from summarize.text.stopwords import is_stopword

__all__ = [
    "ADVERBS",
    "CLASSIFIERS",
    "JOINING",
    "NOT_NAMES",
    "PARTICLES",
    "ROLE_WORDS",
    "SAYING",
    "TITLES",
    "VERBS",
    "ends_chain",
    "is_in",
]


def _folded_set(text: str) -> frozenset[str]:
    return frozenset(fold(w) for w in text.split())


TITLES = _folded_set(
    """
    رئيس رئيسة الرئيس الرئيسة الشيخ الشيخة الأمير الأميرة أمير الملك الملكة ملك العاهل
    السلطان السيد السيدة وزير وزيرة الوزير الوزيرة الدكتور الدكتورة المستشار المستشارة
    السفير السفيرة النائب النائبة الجنرال اللواء العقيد العميد المشير الزعيم المتحدث
    المتحدثة الناطق الناطقة الأمين البابا الإمام القائد المبعوث المندوب الحاكم المدير
    مدير المديرة نائب المفوض المفوضة المرشد الكاتب الكاتبة الصحفي الصحفية بقلم نظيره
    نظيرته الأستاذ الأستاذة المهندس المهندسة معالي سمو صاحب فضيلة سعادة فخامة خادم الفريق
    المقدم الرائد النقيب
    """
)
# Words that continue a title without being a name: «رئيس الوزراء», «الأمين العام».
ROLE_WORDS = _folded_set(
    """
    الوزراء العام العامة التنفيذي التنفيذية الخارجية الداخلية الدفاع الدولة الحكومة
    الجمهورية المجلس مجلس الأعلى السابق السابقة الحالي الحالية الجديد الجديدة الأسبق
    المؤقت المنتخب الأول الأولى باسم العهد ولي الأمن للأمم المتحدة الأمم الوطني
    أول ركن طيار بحري المفدى السمو الملكي الحرمين الشريفين هيئة الهيئة لجنة اللجنة
    ديوان الديوان بالديوان إدارة الإدارة مركز المركز مؤسسة المؤسسة شؤون الشؤون
    """
)
# Common verbs of news copy that often follow a name: they end a title chain. Not «يصل»:
# «فيصل» would read as «ف» + «يصل».
VERBS = _folded_set(
    """
    قال قالت يقول تقول أكد أكدت يؤكد تؤكد أعلن أعلنت يعلن تعلن أشار أشارت يشير تشير
    أوضح أوضحت يوضح دعا دعت يدعو تدعو صرح صرحت يصرح شدد شددت يشدد أضاف أضافت يضيف
    اعتبر اعتبرت يعتبر رأى يرى ترى ذكر ذكرت يذكر كشف كشفت يكشف أعرب أعربت يعرب بحث
    بحثت يبحث سيبحث التقى التقت يلتقي استقبل استقبلت يستقبل زار زارت يزور وصل وصلت
    غادر غادرت ترأس ترأست يترأس افتتح افتتحت يفتتح شارك شاركت يشارك سيشارك وقع
    وقعت يوقع أجرى أجرت يجري تلقى تلقت بدأ بدأت يبدأ اختتم اختتمت ناقش ناقشت يناقش
    أدان أدانت رحب رحبت يرحب طالب طالبت يطالب حذر حذرت يحذر نفى نفت ينفي أفاد أفادت
    تابع تابعت يتابع عقد عقدت يعقد حضر حضرت يحضر ألقى ألقت يلقي هنأ هنأت بعث بعثت
    أبلغ أبلغت ينظر يعتزم يسعى تسعى سعى يواصل واصل أصدر أصدرت وجه وجهت يوجه أمر أمرت
    """
)
# Words of time, place and means that follow a name in news copy («قال كارتر أمس», «أكد
# حرص بلاده»): they end a chain and are never names.
ADVERBS = _folded_set(
    """
    أمس اليوم غدا الليلة صباح مساء مؤخرا مؤخراً حاليا سابقا لاحقا بلاده بلادها بلادهم
    بواسطة عبر نيابة برفقة بحضور بمناسبة
    """
)
PARTICLES = _folded_set("بن بنت ابن آل أبو أبي عبد")
JOINING = _folded_set("بن بنت ابن آل")  # particles between two names
# Words that name what follows them: a place, a company, a work («مدينة فلاديفوستوك», «نهر
# بوتوماك», «شركة أوبر»). They start a chain as a title does.
CLASSIFIERS = _folded_set(
    """
    مدينة ومدينة بمدينة لمدينة نهر جزيرة ولاية مقاطعة قرية بلدة جامعة نادي صحيفة مجلة
    موقع شركة فيلم ألبوم رواية مطار جبل بحيرة حزب محطة إقليم منطقة مستشفى فندق
    """
)
# Verbs of saying, after which Arabic puts the speaker («قال جونسون», «وتشرح تارلو»).
SAYING = _folded_set(
    """
    قال قالت يقول تقول وقال وقالت ويقول وتقول أضاف أضافت وأضاف وأضافت أوضح أوضحت وأوضح
    وأوضحت صرح صرحت وصرح وصرحت أكد أكدت وأكد وأكدت كتب كتبت وكتب وكتبت تشرح يشرح وتشرح
    ويشرح أشار أشارت وأشار وأشارت ذكر ذكرت وذكر وذكرت أعلن أعلنت وأعلن وأعلنت
    """
)
# Words that the lexicon must never read as names (with :func:`ends_chain`'s).
NOT_NAMES = (TITLES, ROLE_WORDS, VERBS, PARTICLES, CLASSIFIERS, SAYING)


def is_in(word: str, vocabulary: frozenset[str]) -> bool:
    """Whether a folded word is in ``vocabulary``, alone or behind a conjunction «و ف», a
    preposition «ب ل ك» or both («لرئيس», «وبالرئيس»)."""
    if word in vocabulary:
        return True
    if len(word) > 3 and word[0] in "وف":
        word = word[1:]
        if word in vocabulary:
            return True
    return len(word) > 3 and word[0] in "بلك" and word[1:] in vocabulary


def ends_chain(word: str) -> bool:
    """Whether a word ends a name: a function word, a common verb, a title, an adverb, a
    figure."""
    folded = fold(word)
    return (
        is_stopword(folded)
        or is_in(folded, VERBS)
        or is_in(folded, TITLES)
        or is_in(folded, ADVERBS)
        or any(c.isdigit() for c in folded)
    )
