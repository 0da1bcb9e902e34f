"""Deterministic synthetic social-media posts for demos, tests and benchmarks.

Everything here is written for the project: template sentences in Arabic (MSA and Levantine,
Egyptian and Gulf dialect), Hebrew, English and Arabizi, filled with slot values (places,
platforms, numbers, invented accounts, hashtags, links, emoji). No post quotes a real person and
no account belongs to one; place names are real only as places. A realistic minority of posts are
hateful, offensive or incite violence, so that classifiers and reports have something to find;
they are generic and aimed at no real person.

Two outputs:
- `generate_x_v2_pages` / `write_x_v2_jsonl`: X API v2 search responses, page by page, exactly
  as the API returns them (newest page first, newest tweet first in a page; ids are snowflakes
  that increase with time; `includes` holds users, referenced tweets and media; empty includes
  lists are left out as the API does). Tweets use X's own language codes: Hebrew is "iw",
  Arabizi is mostly "und", hashtag-only posts are "qht" and media-only posts "zxx".
- `generate_table_rows`: flat rows (id, date, author, text, url, lang) such as an NGO keeps in a
  spreadsheet of Telegram channel posts or Facebook comments.

The same seed always gives the same output (one `random.Random(seed)` drives everything).
"""

# ruff: noqa: E501  (template sentences are data; wrapping them would hurt more than it helps)

from __future__ import annotations

import heapq
import random
import re
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from math import exp
from pathlib import Path
from typing import Any, TypeVar

import orjson

Json = dict[str, Any]
T = TypeVar("T")

DEFAULT_START = datetime(2025, 1, 1, tzinfo=UTC)
DEFAULT_DAYS = 365
_TWEPOCH_MS = 1_288_834_974_657  # X snowflake epoch
_HOUR_MS = 3_600_000

# --------------------------------------------------------------------------------------------
# Text material. Language keys: ar (MSA), ar_lev, ar_egy, ar_gulf, he, en, arz (Arabizi).
# A key's family (ar, he, en, arz) picks the slot fillers and hashtags.
# Slots: {name} takes a filler of the family; {user} a mention; {url} a link; {#tag} that
# fixed hashtag; {tag} a hashtag from the family's pool for the category.
# --------------------------------------------------------------------------------------------

FAMILY = {
    "ar": "ar",
    "ar_lev": "ar",
    "ar_egy": "ar",
    "ar_gulf": "ar",
    "he": "he",
    "en": "en",
    "arz": "arz",
}
TABLE_LANG = {"ar": "ar", "he": "he", "en": "en", "arz": "ar-Latn"}
CATEGORIES = ("violation", "news", "chatter", "reaction", "hate", "offensive", "incitement")

# fmt: off
_SLOTS: dict[str, dict[str, tuple[str, ...]]] = {
    "ar": {
        "platform": ("فيسبوك", "إنستغرام", "تيك توك", "إكس", "يوتيوب", "تيليغرام", "ميتا"),
        "place": (
            "غزة", "رفح", "خان يونس", "جنين", "نابلس", "الخليل", "رام الله", "القدس", "حيفا",
            "يافا", "اللد", "الناصرة", "أم الفحم", "طولكرم", "بيت لحم", "النقب", "سلوان",
        ),
        "village": ("عين الورد", "كفر الندى", "تل السنابل", "وادي الريحان", "خربة الزيتون"),
        "n": ("3", "4", "5", "7", "12", "17", "23", "40", "٣", "٥", "١٢", "٢٠"),
        "big_n": ("50 ألف", "120 ألف", "300 ألف", "مليون"),
        "pct": ("40", "60", "70", "80", "90", "٧٥"),
        "duration": ("48 ساعة", "يومين", "ثلاثة أيام", "أسبوع", "شهر"),
        "content": ("فيديو", "منشوراً", "صورة", "قصة", "بثاً مباشراً", "تعليقاً"),
        "subject": (
            "الصحفية", "الناشط", "المصور", "الطالبة", "الشاعر", "الطبيب", "المحامية", "المدون",
        ),
        "outlet": ("شبكة الساحل الإخبارية", "إذاعة صوت الحارة", "موقع نبض المدينة"),
        "reason": (
            "مخالفة معايير المجتمع", "خطاب الكراهية", "المنظمات والأفراد الخطرين",
            "العنف والتحريض", "المحتوى الحساس",
        ),
        "group": ("المستوطنين", "الصهاينة", "اللاجئين", "النسويات", "المثليين", "الأجانب"),
    },
    "he": {
        "platform": ("פייסבוק", "אינסטגרם", "טיקטוק", "טוויטר", "יוטיוב", "טלגרם", "וואטסאפ"),
        "place": (
            "חיפה", "ירושלים", "תל אביב", "יפו", "לוד", "רמלה", "עכו", "נצרת", "באר שבע",
            "אום אל-פחם", "שדרות", "אשקלון", "רהט", "טייבה",
        ),
        "village": ("כפר א-נדא", "עין אל-ורד", "תל סנאבל", "ח'רבת א-זייתון"),
        "n": ("3", "4", "5", "7", "12", "17", "23", "40"),
        "big_n": ("50 אלף", "120 אלף", "300 אלף", "מיליון"),
        "pct": ("40", "60", "70", "80", "90"),
        "duration": ("48 שעות", "יומיים", "שלושה ימים", "שבוע", "חודש"),
        "content": ("סרטון", "פוסט", "תמונה", "סטורי"),
        "subject": ("עיתונאית", "פעיל", "צלם", "סטודנטית", "משורר", "רופא", "עורכת דין"),
        "outlet": ("חדשות הגליל עכשיו", "רדיו קול השכונה", "אתר הדופק היומי"),
        "reason": ("הסתה", "דברי שטנה", "ארגונים מסוכנים", "תוכן אלים"),
        "group": ("ערבים", "מסתננים", "שמאלנים", "חרדים", "פלסטינים"),
    },
    "en": {
        "platform": ("Facebook", "Instagram", "TikTok", "X", "YouTube", "Telegram", "Meta"),
        "place": (
            "Gaza", "Rafah", "Khan Younis", "Jenin", "Nablus", "Hebron", "Ramallah", "Jerusalem",
            "Haifa", "Jaffa", "Lod", "Nazareth", "the Naqab", "Tulkarm", "Bethlehem", "Silwan",
        ),
        "village": ("Ein al-Ward", "Kafr al-Nada", "Tel Sanabel", "Wadi al-Rayhan"),
        "n": ("3", "4", "5", "7", "12", "17", "23", "40"),
        "big_n": ("50,000", "120,000", "300,000", "a million"),
        "pct": ("40", "60", "70", "80", "90"),
        "duration": ("48 hours", "two days", "three days", "a week", "a month"),
        "content": ("video", "post", "photo", "story", "live stream"),
        "subject": (
            "journalist", "activist", "photographer", "student", "poet", "doctor", "lawyer",
        ),
        "outlet": ("Sahel News Network", "Radio Neighbourhood Voice", "The Daily Pulse"),
        "reason": ("hate speech", "dangerous organisations", "violence and incitement"),
        "group": ("Arabs", "Zionists", "settlers", "migrants", "Muslims", "Jews", "leftists"),
    },
    "arz": {
        "platform": ("facebook", "insta", "tiktok", "twitter", "youtube", "telegram"),
        "place": ("ghazze", "jenin", "nablus", "el 5alil", "ramallah", "el quds", "7eifa", "yafa"),
        "village": ("ein el ward", "kafr el nada", "tal el sanabel"),
        "n": ("3", "4", "5", "7", "12", "20"),
        "big_n": ("50 alf", "100 alf", "milyon"),
        "pct": ("50", "70", "90"),
        "duration": ("yomen", "jem3a", "tlat iyyam", "shahr"),
        "content": ("video", "post", "sora", "story"),
        "subject": ("el sa7afiyye", "el nashet", "el mosawwer"),
        "outlet": ("sahel news", "sawt el 7ara"),
        "reason": ("community standards", "hate speech"),
        "group": ("el mostawtneen", "el sahayneh", "el laj2een", "el ajaneb"),
    },
}
# fmt: on

_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "ar": {
        "violation": (
            "تم تعليق حسابي على {platform} للمرة الثالثة هذا الشهر بحجة {reason}، فقط لأنني نشرت {content} عن {place}",
            "حذفت {platform} ما نشرته من توثيق لما جرى في {place}، والسبب المعلن: {reason}",
            "تقييد حساب {subject} من {place} بعد نشر شهادات عن الاعتقالات. نطالب {platform} بإعادة الحساب فوراً",
            "رصدنا خلال الأسبوع الماضي {n} حالة حذف لمحتوى فلسطيني على {platform}، معظمها بحجة {reason}",
            "انقطاع تام للإنترنت والاتصالات في {place} منذ {duration}، والعائلات عاجزة عن الاطمئنان على ذويها",
            "هل لاحظتم أن منشوراتكم عن {place} لا تصل إلى أحد؟ هذا ما يسمى الحظر الخفي على {platform}",
            "وثّقوا كل منشور يُحذف: لقطة شاشة، التاريخ، الرابط، ثم أرسلوها لنا عبر النموذج {url}",
            "إغلاق صفحة {outlet} على {platform} دون أي إنذار مسبق، وهي صفحة يتابعها أكثر من {big_n} شخص",
            "أرسلت لي {platform} تحذيراً بسبب صورة العلم الفلسطيني. إلى متى هذا التمييز الرقمي؟",
            "نستنكر حملة الحذف الممنهجة لحسابات الصحفيين في {place} ونطالب بالشفافية في سياسات الإشراف على المحتوى",
            "اعتقال شاب من {place} بسبب منشور على {platform}، والتهمة «التحريض». حرية التعبير ليست جريمة",
            "ما زال حساب {subject} {user} معلقاً منذ {duration} رغم تقديم الاستئناف {#أعيدوا_الحساب}",
            "تقرير جديد: {n} انتهاكاً رقمياً بحق الصحفيين الفلسطينيين خلال الربع الأول من العام {url}",
            "لماذا تحذف {platform} كلمة «شهيد» وتترك منشورات التحريض علينا؟ معايير مزدوجة واضحة",
            "اختُرق حساب {subject} من {place} ونُشرت عبره رسائل مسيئة. الرجاء التبليغ عن الحساب وعدم فتح الروابط",
            "أغلقت شركة دفع إلكتروني حساب جمعية خيرية في {place} دون توضيح، والتبرعات متوقفة منذ {duration}",
            "بلاغ عاجل: صفحة على {platform} تنشر أسماء وصور ناشطين من {place} وتحرض عليهم، ولم تُحذف رغم مئات البلاغات",
            "تم حظر البث المباشر على حسابي لمدة {duration} لأنني نقلت مظاهرة في {place}",
            "تلقينا {n} شكوى اليوم وحده عن حذف محتوى يتعلق بـ{place}. إن تعرضتم لذلك راسلونا",
            "الحظر الخفي لا يُرى لكنه يُقاس: انخفض وصول منشورات {outlet} بنسبة {pct}% خلال أسبوع",
            "تعطيل التعليقات على منشورات {subject} بعد حملة بلاغات منظمة من حسابات وهمية",
            "استدعاء {subject} من {place} للتحقيق بسبب تغريدة، والإفراج بكفالة بعد {duration}",
            "رفضت {platform} إعلاناً ممولاً لمهرجان ثقافي في {place} بحجة أنه «محتوى سياسي»",
            "دليلنا المحدّث: كيف تستأنف قرار حذف منشورك على {platform} خطوة بخطوة {url}",
        ),
        "news": (
            "عاجل | إصابة {n} مواطنين خلال اقتحام مدينة {place} فجر اليوم",
            "مراسلنا: انقطاع الكهرباء عن أحياء واسعة في {place} منذ ساعات الصباح",
            "مظاهرة في {place} للمطالبة بالإفراج عن المعتقلين الإداريين",
            "الأمم المتحدة تحذّر من تدهور الوضع الإنساني في {place} وتدعو إلى إدخال المساعدات دون قيود",
            "هدم {n} منازل في قرية {village} بحجة البناء دون ترخيص",
            "افتتاح معرض للكتاب في {place} بمشاركة {n} دار نشر عربية",
            "نقابة الصحفيين: استهداف الصحفيين في {place} جريمة يجب محاسبة مرتكبيها",
            "المحكمة تؤجل النظر في قضية ناشط من {place} اعتُقل بسبب منشورات على مواقع التواصل",
            "إغلاق الحواجز المؤدية إلى {place} وطوابير طويلة من المركبات",
            "منخفض جوي يضرب المنطقة وأمطار غزيرة في {place} مع تحذيرات من السيول",
            "وصول {n} شاحنة مساعدات إلى {place} بعد أيام من الانتظار",
            "استشهاد شاب برصاص الاحتلال قرب {place} وفق مصادر محلية",
            "إضراب شامل يعم {place} حداداً على أرواح الضحايا",
            "مستوطنون يهاجمون مزارعين في {village} خلال موسم قطف الزيتون",
            "الحكومة تعلن خطة لإعادة إعمار البنية التحتية في {place}",
            "استطلاع: {pct}% من الشباب في {place} يعتمدون على مواقع التواصل مصدراً رئيسياً للأخبار",
            "انطلاق مهرجان الأفلام الفلسطينية في {place} بمشاركة مخرجين شباب",
            "الشرطة تعتقل {n} أشخاص خلال وقفة احتجاجية في {place}",
            "تفاصيل الحدث كاملة على موقعنا {url}",
        ),
        "chatter": (
            "صباح الخير من {place}",
            "اللهم فرّج عن أهلنا في {place}",
            "أجمل ما في هذا اليوم فنجان قهوة وكتاب جيد",
            "هل يعرف أحدكم مكتبة في {place} تبيع كتب أطفال بالعربية؟",
            "بالتوفيق لطلاب الثانوية العامة، وكل التمنيات بالنجاح",
            "رمضان كريم، وكل عام وأنتم بخير",
            "انتهيت للتو من قراءة رواية رائعة، أنصح بها بشدة",
            "الطقس اليوم في {place} جميل جداً",
            "شكراً لكل من سأل عني، أنتم عائلتي الثانية",
            "مبروك للفريق الفوز الليلة، مباراة تاريخية",
            "الحنين إلى بيت جدتي في {place} لا يوصف",
            "أفضل نصيحة سمعتها هذا الأسبوع: لا تؤجل عمل اليوم إلى الغد",
            "من لديه تجربة مع التعلم عن بعد؟ أحتاج نصائحكم",
            "مساء الورد على الجميع",
            "أعتذر عن الغياب في الفترة الماضية، كانت أياماً صعبة",
            "عيد مبارك لكم ولعائلاتكم",
            "{user} شكراً على المقال الجميل، استفدت منه كثيراً",
        ),
        "reaction": (
            "هذا بالضبط ما كنا نحذر منه",
            "كلام مهم جداً، انشروه",
            "لا تعليق",
            "شاهدوا هذا قبل أن يُحذف",
            "صحيح مئة بالمئة",
            "للأسف هذا هو الواقع",
            "كل التضامن",
            "هل من توضيح؟",
        ),
        "hate": (
            "{group} سرطان في جسد هذه الأمة",
            "لا تثقوا بـ{group}، فهم خونة بطبعهم",
            "{group} حشرات لا تستحق العيش بيننا",
            "كل مصائب البلد سببها {group}، يجب طردهم جميعاً",
            "المرأة التي تعمل في الصحافة لا شرف لها",
            "{group} أقل من البشر ولا يستحقون أي حقوق",
        ),
        "offensive": (
            "أنت جاهل ولا تفهم شيئاً، وفّر علينا سخافاتك",
            "{user} أغبى تعليق قرأته اليوم",
            "يا لك من منافق، كلامك لا يساوي شيئاً",
            "اصمت يا تافه",
            "هذا الحساب لا ينشر إلا الهراء",
        ),
        "incitement": (
            "يجب حرق {village} بمن فيها، لا رحمة",
            "من يرى أحداً من {group} فليضربه ولا يتردد",
            "حان وقت حمل السلاح، موعدنا في {village} فجراً",
            "اقتلوا كل من يتعاون معهم، لا مكان للخونة بيننا",
            "نشرنا عناوين بيوتهم، وتعرفون ما عليكم فعله",
        ),
    },
    "ar_lev": {
        "violation": (
            "ولك شو قصة {platform}؟ كل ما أنشر إشي عن {place} بينحذف خلال دقايق",
            "حسابي انسكّر تاني مرة بهالشهر وما حدا بيرد علينا",
            "صرلي {duration} ما حدا شايف الستوريات تبعي، أكيد عاملين علي شادو بان",
            "بلّغوا معنا عن صفحة {user} اللي عم تنشر تحريض على أهل {place}",
            "النت مقطوع عن {place} من مبارح، إذا حدا عنده أخبار عن أهل الحي يطمنا",
            "{platform} حذفتلي صورة ابن عمي الشهيد وقالت مخالفة للمعايير، عن جد مسخرة",
            "بعتت استئناف عشرين مرة وما في رد، الحساب راح مع كل الأرشيف",
            "اعتقلوا صاحبي من {place} عشان ستوري، صار الواحد يخاف يكتب",
            "الصفحة تبعنا صار عليها تقييد وما بنقدر نعمل بث، شو الحل؟",
            "كل ما نكتب {place} بالعربي بينزل التفاعل للنص، جربوا بحالكم",
        ),
        "news": (
            "في اقتحام هلأ بـ{place}، ديروا بالكم وما حدا يطلع",
            "الحاجز مسكّر من الصبح والطوابير لآخر الشارع",
            "الوضع بـ{place} صعب كتير الليلة، الله يحميهم",
            "سمعنا صوت انفجارات قوية بـ{place} من شوي، حدا عنده تفاصيل؟",
            "الكهربا مقطوعة عن نص البلد من ساعتين",
            "المدارس مسكرة بكرا بسبب الإضراب",
            "في مسيرة الساعة خمسة قدام البلدية، الكل مدعو",
        ),
        "chatter": (
            "يا جماعة مين جاي عالسهرة بكرا؟ {user}",
            "أحلى إشي بالدنيا منقوشة زعتر عالصبح",
            "والله اشتقت للبحر، {place} بتضل أحلى بلد",
            "حدا بيعرف محل بيصلح موبايلات منيح بـ{place}؟",
            "شو رأيكم بالحلقة الجديدة؟ أنا انصدمت بالنهاية",
            "يسعد صباحكم يا أحلى ناس",
            "اليوم طبخت مقلوبة لأول مرة وطلعت زاكية",
            "مين بيعرف دورة إنجليزي منيحة أونلاين؟",
            "الدنيا برد كتير اليوم، جهزوا الصوبيا",
            "مبروك التخرج يا {user}، فخورين فيك",
        ),
        "reaction": (
            "هاد بالزبط اللي صار معي",
            "يا حرام، الله يكون بعونهم",
            "شوفوا هالفيديو قبل ما ينحذف",
            "والله كلامك صح",
        ),
        "hate": (
            "{group} هدول سرطان بالبلد، لازم ينطردوا كلهم",
            "ما في واحد من {group} بينوثق فيه، كلهم خونة",
            "{group} متل الجراد، وين ما يروحوا بيخربوا",
            "هالبنت اللي بتكتب بالسياسة لازم تقعد بالبيت وتسكت",
        ),
        "offensive": (
            "إنت حمار وما بتفهم، سكّر تمك أحسن",
            "شو هالتخلف، روح انقلع من هون",
            "{user} يا كذاب، كل يوم طالعلنا بقصة جديدة",
            "يا زلمة إنت نكتة، حدا يسكّتو",
            "والله إنك تافه وما إلك قيمة",
        ),
        "incitement": (
            "اللي بيشوف واحد من {group} بالشارع يكسر راسه",
            "لازم نولّعها بـ{village} الليلة وما نخلي ولا بيت",
            "بكرا الصبح كلنا على {village}، جيبوا معكم اللي بتقدروا عليه",
            "هاد عنوان بيته، بدنا نربيه ونربي اللي متله",
        ),
    },
    "ar_egy": {
        "violation": (
            "يا جماعة الأكونت بتاعي اتقفل تاني على {platform} ومش عارفة أعمل إيه",
            "هو فيه إيه؟ كل ما أنزل بوست عن {place} يتمسح علطول",
            "البوست اتشال من غير ما يقولولي السبب، زهقت بجد",
            "الريتش بتاعي وقع خالص من ساعة ما كتبت عن {place}، ده أكيد شادو بان",
            "صفحة {outlet} اتقفلت امبارح ومحدش عارف ليه",
            "واحد صاحبي اتقبض عليه بسبب بوست على {platform}، ادعوله",
            "النت فاصل عندنا من الصبح والشبكة مش موجودة خالص",
        ),
        "news": (
            "الدنيا زحمة جداً النهاردة في وسط البلد بسبب الوقفة",
            "الأسعار بقت نار والمرتبات زي ما هي",
            "بيقولوا البنزين هيغلى تاني الشهر الجاي",
            "الامتحانات اتأجلت أسبوع بسبب الظروف",
        ),
        "chatter": (
            "حد عنده ترشيح لمسلسل حلو أتفرج عليه؟",
            "صباح الفل يا جماعة",
            "الماتش النهاردة هيبقى نار",
            "أنا تعبت من المذاكرة ومحتاج أجازة",
            "مفيش أحلى من كباية شاي بعد الشغل",
            "{user} وحشتني يا صاحبي، نتقابل إمتى؟",
            "الجو النهاردة حلو أوي، يلا نخرج",
        ),
        "reaction": ("بالظبط كده", "ده كلام محترم", "يا نهار أبيض، إزاي ده يحصل؟"),
        "hate": (
            "{group} دول لازم يترحلوا من البلد كلهم",
            "البنات اللي بتتكلم في السياسة دي مكانها البيت مش تويتر",
            "{group} دول مش بني آدمين أصلاً",
        ),
        "offensive": (
            "انت واحد تافه ومالكش لازمة",
            "يا ابني انت غبي ولا بتستعبط؟",
            "{user} اسكت يا فاشل",
            "إيه الهبل ده، حد يقفل الحساب ده",
        ),
        "incitement": (
            "اللي يشوف حد منهم يضربه ومحدش هيحاسبه",
            "لازم نروح {village} ونوريهم، محدش يسيب حد",
        ),
    },
    "ar_gulf": {
        "violation": (
            "حسابي انحذف بدون سبب واضح، وش السالفة يا {platform}؟",
            "ترا الحظر الخفي موجود، جربوا تكتبون عن {place} وشوفوا التفاعل كيف ينزل",
            "وقفوا الإعلانات في صفحتي لأني نشرت عن {place}، شي غريب",
            "صار لي {duration} أحاول أرجع حسابي وما أحد يرد",
        ),
        "news": (
            "الحين صار الإعلان الرسمي عن موعد الإجازة",
            "أمطار غزيرة الحين، الله يحفظ الجميع",
            "زحمة خانقة على الطريق السريع بسبب حادث",
        ),
        "chatter": (
            "الله يسعد صباحكم جميعاً",
            "مين يبي يطلع البر هالويكند؟",
            "والله الجو اليوم يجنن",
            "أحد يعرف مطعم زين قريب؟",
            "{user} مبروك يا بو محمد، تستاهل كل خير",
        ),
        "reaction": ("كلام في الصميم", "صدقت والله"),
        "hate": (
            "{group} هذولا ما منهم فايدة، خربوا البلد",
            "{group} أصلهم وسخ وما يتغيرون",
        ),
        "offensive": (
            "أنت شكلك ما تفهم شي، اقعد ساكت",
            "{user} يا مهايطي",
            "وش هالكلام الفاضي، استح على وجهك",
        ),
        "incitement": (
            "لازم يتأدبون بالضرب، ولا أحد يحميهم",
            "اللي يشوفهم في الحي يطردهم بالقوة",
        ),
    },
    "he": {
        "violation": (
            'פייסבוק הורידו לי את הפוסט על {place} בטענה של "הסתה". באמת?',
            "החשבון שלי ב{platform} הושעה בלי שום הסבר אחרי שפרסמתי על ההפגנה",
            "עוד עיתונאית ערבייה שהחשבון שלה נחסם. זה כבר דפוס, לא מקרה",
            "תושבי {place} מדווחים על ניתוק אינטרנט מאז הבוקר",
            "סטודנטית מ{place} נעצרה בגלל סטורי באינסטגרם. חופש הביטוי רק למי שנוח?",
            'דיווחנו על פוסט שמסית לאלימות נגד ערבים, והתשובה של {platform}: "לא מפר את הכללים"',
            "{n} דיווחים השבוע על הסרת תוכן בערבית, ואף אחד מהם לא הוסבר",
            "החשיפה של הפוסטים שלי צנחה ב-{pct}% מאז שכתבתי על {place}. שאדו באן זה אמיתי",
            "הדף של {outlet} נסגר ב{platform} בלי שום אזהרה",
            "זימנו אותו לחקירה בגלל ציוץ. ככה נראית דמוקרטיה?",
            "הגשנו ערעור כבר {n} פעמים, והחשבון עדיין חסום",
            "החשבון של {subject} מ{place} נפרץ ומפיצים ממנו הודעות מזויפות, לא ללחוץ על קישורים",
            "מחקו לי את ה{content} על ההריסות ב{village} תוך שעה, בלי הסבר",
            "מסמך חדש שלנו על השתקת קולות ערביים ברשתות {url}",
        ),
        "news": (
            "מבזק: {n} פצועים בתאונה בכביש הגישה ל{place}",
            "הממשלה אישרה הלילה את התקציב, והאופוזיציה זועמת",
            "הפגנה גדולה הערב בכיכר הבימה נגד הממשלה",
            "אזעקות נשמעו ב{place}, אין דיווח על נפגעים",
            "תחזית: גשם בצפון והתקררות משמעותית בסוף השבוע",
            "בית המשפט דחה את העתירה, וההריסות ב{village} יתקיימו כמתוכנן",
            "המשטרה עצרה {n} חשודים בעקבות העימותים ב{place}",
            "מחירי הדירות ב{place} זינקו ב-{pct}% בשנה האחרונה",
            "השביתה במערכת הבריאות נמשכת זה היום השלישי",
            "כל הפרטים באתר {url}",
        ),
        "chatter": (
            "שבת שלום לכולם",
            "מישהו ממליץ על בית קפה טוב ב{place}?",
            "איזה משחק היה אתמול, לא נרדמתי",
            "נמאס לי מהפקקים בבוקר",
            "יום הולדת שמח {user}!",
            "סוף סוף חופש, מתכננים טיול לצפון",
            "מישהו יודע אם הרכבת עובדת היום?",
            "הכנתי שקשוקה מושלמת הבוקר",
            "חג שמח לכולם",
        ),
        "reaction": ("בדיוק ככה", "חשוב לקרוא עד הסוף", "אין מילים", "מזעזע"),
        "hate": (
            "ה{group} האלה הם סרטן בתוך המדינה",
            "אי אפשר לסמוך על אף אחד מה{group}, כולם בוגדים",
            "ה{group} הם חיות, לא בני אדם",
            "כל ה{group} צריכים לעוף מפה",
            "עיתונאית כזאת צריכה לשבת בבית ולשתוק",
        ),
        "offensive": (
            "אתה מפגר או שאתה רק עושה את עצמך?",
            "סתום ת'פה {user}, אף אחד לא שאל אותך",
            "איזה אידיוט, אין לי מילים",
            "לך תתחבא, ליצן",
            "התגובה הכי מטומטמת שקראתי היום",
        ),
        "incitement": (
            "צריך למחוק את {village} ולגמור עם הסיפור",
            "מי שרואה אחד מהם בשכונה שיטפל בו, שלא ייצא בחיים",
            "הגיע הזמן לנקום, כולם לצאת לרחובות הלילה",
            "פרסמנו את הכתובת שלו, אתם יודעים מה לעשות",
            "מוות ל{group}",
        ),
    },
    "en": {
        "violation": (
            'My account on {platform} was suspended for the third time this month for "violating community standards". All I posted was a {content} from {place}.',
            "{platform} removed our post documenting the demolitions in {place}. No explanation, no appeal.",
            "Shadowban is real: my reach dropped by {pct}% after I posted about {place}.",
            "Internet and phone lines have been cut in {place} for {duration}. Families can't reach each other. {#KeepItOn}",
            "We documented {n} cases of content removal targeting Palestinian journalists this week. Full report: {url}",
            "Journalist {user} has been locked out of their account for {duration}. Restore it now.",
            '{platform} says the word "shaheed" violates its policies, but incitement against us stays up. Double standards.',
            "A student from {place} was arrested over a Facebook post. Speech is not a crime.",
            "A payment provider froze the account of a small charity in {place}. No explanation, donations stuck for {duration}.",
            "If your posts are being removed, tell us: screenshot, link, date. We escalate to the platforms. {url}",
            "The page of {outlet} was taken down on {platform} overnight. {big_n} followers, gone.",
            'Reported a post calling for violence against people in {place}. {platform}: "doesn\'t go against our Community Standards".',
            "Live streaming disabled on my account for {duration} after I streamed a protest in {place}.",
            "Hacked: the account of {subject} {user} from {place} is now posting fake statements. Don't click the links.",
            "Arabic-language posts are removed at {n}x the rate of Hebrew ones for similar content. Our new data: {url}",
            'Our ads were rejected as "political" because they mention {place}. A film festival. Political.',
            "Can't believe I have to write G4za and P4lestine to get past the filters.",
            "Comments disabled on the posts of {subject} {user} after a coordinated mass-reporting campaign by fake accounts.",
            "Summoned for questioning over a tweet. This is what the shrinking space for speech looks like.",
        ),
        "news": (
            "BREAKING: {n} injured in overnight raid on {place}, local sources say",
            "UN agencies warn of famine conditions in {place} as aid trucks remain blocked",
            "Protesters gathered in {place} today demanding a ceasefire",
            "Court postpones hearing for activist detained over social media posts",
            "Power outage hits large parts of {place} for the third day",
            "Heavy rain and flooding reported in {place}, schools closed tomorrow",
            "{n} homes demolished in {village} this morning, residents say",
            "Journalists' union condemns the targeting of reporters in {place}",
            "Aid convoy of {n} trucks reaches {place} after a week-long delay",
            "Police arrest {n} people at a vigil in {place}",
            "Survey: {pct}% of young people in {place} get their news mainly from social media",
            "Film festival opens in {place} with a programme of new Palestinian cinema",
            "Live updates: {url}",
        ),
        "chatter": (
            "Good morning from {place}",
            "Anyone have a good book on the history of the Levant to recommend?",
            "Can't believe that match last night",
            "Coffee first, everything else later",
            "Happy birthday {user}!",
            "Finally finished my thesis, time to sleep for a week",
            "Traffic in {place} this morning was unreal",
            "Who else is watching the new season? No spoilers please",
            "Made maqluba for the first time and it actually flipped",
            "Missing home today",
            "Thanks everyone for the kind messages, it means a lot",
            "Learning Arabic is hard but so worth it",
        ),
        "reaction": (
            "This. Exactly this.",
            "Please read the whole thread.",
            "Watch this before it gets taken down.",
            "Unbelievable.",
            "Important.",
            "Solidarity.",
            "Sharing for visibility.",
        ),
        "hate": (
            "{group} are a cancer on this country, send them all back",
            "never trust {group}, they're all liars and traitors",
            "{group} don't deserve rights, they're animals",
            "women like her should stay out of journalism and keep quiet",
            "{group} are vermin, every single one of them",
        ),
        "offensive": (
            "you're a clown and everyone knows it",
            "shut up {user}, nobody asked you",
            "what an absolute idiot",
            "this take is braindead, log off",
            "imagine being this stupid in public",
            "go cry somewhere else, loser",
        ),
        "incitement": (
            "someone should burn {village} to the ground tonight",
            "if you see one of them on the street, deal with him. no mercy",
            "time to take up arms, we march on {village} at dawn",
            "his home address is out there now. you know what to do",
            "death to all {group}",
        ),
    },
    "arz": {
        "violation": (
            "el account tb3i ensakar 3ala {platform} 3ashan nashart 3an {place}",
            "7atta el story enmas7at, shu hal mas5ara",
            "shadow ban 100%, wala 7ada shayef el posts",
            "ba3atet appeal 10 marrat w ma 7ada radd",
            "el net ma2tou3 3an {place} men mbare7",
        ),
        "news": (
            "fi e2te7am hala2 b{place}, deero balkom",
            "el 7ajez msakkar men el sob7",
            "fi masira el sa3a 5 2oddam el baladiyye",
        ),
        "chatter": (
            "sabah el 5eer ya jama3a",
            "meen jay 3al sahra bokra? {user}",
            "wallah eshta2telkom kteer",
            "el match kan ktiir 7elo",
            "yalla 3al ba7er?",
            "mabrook el takharroj {user}",
        ),
        "reaction": ("mazboot 100%", "ya 7aram, allah ykoon b3onhom"),
        "hate": (
            "{group} kollon 5awaneh, lazem yetla3o men hon",
            "{group} metl el 7asharat",
        ),
        "offensive": ("enta 7mar w ma btefham", "sakker temmak {user}", "shu hal ta5alof"),
        "incitement": (
            "elli bishoof wa7ad menhom yekser raso",
            "lazem nwal3ha b{village} el leile",
        ),
    },
}

# fmt: off
_HASHTAGS: dict[str, dict[str, tuple[str, ...]]] = {
    "ar": {
        "rights": (
            "الحقوق_الرقمية", "أوقفوا_حجب_المحتوى", "ميتا_تحجب_فلسطين", "حرية_التعبير",
            "الرقابة_الرقمية", "الحظر_الخفي", "صحفيون_تحت_الاستهداف",
        ),
        "news": (
            "عاجل", "غزة", "فلسطين", "القدس", "الضفة_الغربية", "النقب", "جنين", "نابلس",
            "غزة_تحت_القصف",
        ),
        "daily": ("صباح_الخير", "رمضان_كريم", "عيد_مبارك", "الجمعة", "قهوة", "كرة_القدم"),
        "politics": ("فلسطين", "غزة", "الاحتلال", "التطبيع"),
    },
    "he": {
        "rights": ("חופש_הביטוי", "צנזורה", "צנזורה_ברשת", "זכויות_דיגיטליות", "הסתה_ברשת"),
        "news": ("מבזק", "ישראל", "ירושלים", "חיפה", "חדשות", "עזה", "הגליל"),
        "daily": ("שבת_שלום", "בוקר_טוב", "חג_שמח", "כדורגל"),
        "politics": ("ישראל_בוערת", "ישראל", "ביטחון", "ממשלה"),
    },
    "en": {
        "rights": (
            "DigitalRights", "StopCensorship", "MetaCensorship", "ShadowBan", "FreeSpeech",
            "KeepItOn", "PressFreedom", "HumanRights",
        ),
        "news": ("BreakingNews", "Gaza", "Palestine", "WestBank", "Jerusalem", "Haifa", "Israel"),
        "daily": ("MondayMotivation", "Football", "Books", "CoffeeTime"),
        "politics": ("Gaza", "Israel", "Palestine", "Ceasefire"),
    },
    "arz": {
        "rights": ("ShadowBan", "StopCensorship", "حرية_التعبير"),
        "news": ("Gaza", "Palestine", "فلسطين"),
        "daily": ("weekend", "Football"),
        "politics": ("Palestine", "Gaza"),
    },
}
# fmt: on

_TOPIC = {
    "violation": "rights",
    "news": "news",
    "chatter": "daily",
    "reaction": "politics",
    "hate": "politics",
    "offensive": "politics",
    "incitement": "politics",
}
_TAG_CHANCE = {
    "violation": 0.7,
    "news": 0.6,
    "chatter": 0.25,
    "reaction": 0.2,
    "hate": 0.4,
    "offensive": 0.15,
    "incitement": 0.35,
}
_EMOJI = {
    "violation": ("💔", "‼️", "📢", "⚠️", "🚫"),
    "news": ("🔴", "📌", "⚡"),
    "chatter": ("😂", "😍", "☕", "🌸", "🙏", "❤️", "😅", "🔥", "🇵🇸"),
    "reaction": ("💔", "👇", "🙏", "😡", "👏"),
    "hate": ("🤮", "😡", "🐀"),
    "offensive": ("🤡", "😂", "🙄"),
    "incitement": ("🔥", "💥", "😡"),
}


@dataclass(frozen=True, slots=True)
class Theme:
    """An event that makes posting spike for a day or two, with its own hashtags."""

    name: str
    tags: dict[str, tuple[str, ...]]


THEMES = (
    Theme(
        "blackout",
        {
            "ar": ("قطع_الإنترنت", "غزة_بلا_إنترنت"),
            "he": ("ניתוק_אינטרנט",),
            "en": ("GazaBlackout", "KeepItOn"),
            "arz": ("GazaBlackout",),
        },
    ),
    Theme(
        "escalation",
        {
            "ar": ("غزة_تحت_القصف", "عاجل"),
            "he": ("ישראל_בוערת", "מבזק"),
            "en": ("Gaza", "Ceasefire"),
            "arz": ("Gaza",),
        },
    ),
    Theme(
        "takedowns",
        {
            "ar": ("ميتا_تحجب_فلسطين", "أوقفوا_حجب_المحتوى"),
            "he": ("צנזורה_ברשת",),
            "en": ("MetaCensorship", "StopSilencingPalestine"),
            "arz": ("StopSilencingPalestine",),
        },
    ),
)

_DOMAINS = {
    "rights": ("rights-monitor.example", "digital-rights-obs.example"),
    "news": ("sahel-news.example", "daily-pulse.example", "levant-wire.example"),
}
_SLUGS = ("report", "statement", "story", "update", "takedowns", "shutdown", "live", "analysis")
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"

# --------------------------------------------------------------------------------------------
# Templates compiled to (literal, slot, literal, slot, ..., literal)
# --------------------------------------------------------------------------------------------

_SLOT_RE = re.compile(r"\{([^{}]+)\}")
_ENTITY_SLOTS = frozenset({"user", "url", "tag"})


def _compile(template: str, family: str) -> tuple[str, ...]:
    parts = tuple(_SLOT_RE.split(template))
    for name in parts[1::2]:
        if not (name in _ENTITY_SLOTS or name.startswith("#") or name in _SLOTS[family]):
            raise ValueError(f"template slot {{{name}}} has no filler in {family}: {template}")
    return parts


COMPILED: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {
    key: {cat: tuple(_compile(t, FAMILY[key]) for t in tpls) for cat, tpls in by_cat.items()}
    for key, by_cat in _TEMPLATES.items()
}


def template_count() -> int:
    """How many template sentences the generator draws from."""
    return sum(len(tpls) for by_cat in COMPILED.values() for tpls in by_cat.values())


def _pick(rng: random.Random, seq: Sequence[T]) -> T:
    return seq[int(rng.random() * len(seq))]


@dataclass(frozen=True, slots=True)
class _Weighted:
    """A weighted choice among keys, drawn with one random() and a bisect."""

    keys: tuple[str, ...]
    cum: tuple[float, ...]

    @classmethod
    def of(cls, weights: dict[str, float]) -> _Weighted:
        return cls(tuple(weights), tuple(accumulate(weights.values())))

    def draw(self, rng: random.Random) -> str:
        return self.keys[bisect(self.cum, rng.random() * self.cum[-1])]


_CAT_ORIGINAL = _Weighted.of(
    {"chatter": 36, "news": 24, "violation": 22, "hate": 7, "offensive": 8, "incitement": 3}
)
_CAT_EVENT = _Weighted.of(
    {"news": 32, "violation": 30, "chatter": 10, "hate": 12, "offensive": 6, "incitement": 10}
)
_CAT_REPLY = _Weighted.of(
    {
        "chatter": 38,
        "reaction": 12,
        "offensive": 16,
        "hate": 8,
        "news": 8,
        "violation": 14,
        "incitement": 4,
    }
)
_CAT_QUOTE = _Weighted.of(
    {"reaction": 60, "violation": 15, "offensive": 10, "hate": 10, "incitement": 5}
)
_CAT_OBSERVATORY = _Weighted.of({"violation": 55, "news": 30, "chatter": 15})
_LANG_OBSERVATORY = _Weighted.of({"ar": 50, "he": 20, "en": 30})
_LANG_KEYS = _Weighted.of(
    {"ar": 20, "ar_lev": 15, "ar_egy": 8, "ar_gulf": 7, "he": 20, "en": 22, "arz": 8}
)

# --------------------------------------------------------------------------------------------
# Text building with entity offsets (Unicode code points, as X counts them)
# --------------------------------------------------------------------------------------------

MentionPicker = Callable[[], Json]


@dataclass(slots=True)
class _Text:
    """Text under construction plus its X entities."""

    shorten: bool = True  # True: links as t.co with url entities; False: links as written
    parts: list[str] = field(default_factory=list)
    pos: int = 0
    hashtags: list[Json] = field(default_factory=list)
    mentions: list[Json] = field(default_factory=list)
    urls: list[Json] = field(default_factory=list)

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def tag(self, tag: str) -> None:
        start = self.pos
        self.add("#" + tag)
        self.hashtags.append({"start": start, "end": self.pos, "tag": tag})

    def mention(self, user: Json) -> None:
        start = self.pos
        self.add("@" + user["username"])
        self.mentions.append(
            {"start": start, "end": self.pos, "username": user["username"], "id": user["id"]}
        )

    def link(self, rng: random.Random, expanded: str, display: str, **extra: str) -> None:
        if not self.shorten:
            self.add(expanded)
            return
        start = self.pos
        short = "https://t.co/" + "".join(rng.choices(_ALNUM, k=10))
        self.add(short)
        url = {"start": start, "end": self.pos, "url": short, "expanded_url": expanded}
        url["display_url"] = display
        url.update(extra)
        self.urls.append(url)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def entities(self, limit: int | None = None) -> Json:
        """The X `entities` object; with `limit`, only entities that end within it."""
        out: Json = {}
        for key, items in (
            ("hashtags", self.hashtags),
            ("mentions", self.mentions),
            ("urls", self.urls),
        ):
            kept = items if limit is None else [e for e in items if e["end"] <= limit]
            if kept:
                out[key] = kept
        return out


def _news_link(rng: random.Random, text: _Text, topic: str, year: int) -> None:
    domain = _pick(rng, _DOMAINS.get(topic, _DOMAINS["news"]))
    path = f"{year}/{1 + int(rng.random() * 12):02d}/{_pick(rng, _SLUGS)}-{rng.randrange(10**5)}"
    text.link(rng, f"https://{domain}/{path}", f"{domain}/{path[:12]}…")


def _emit(rng: random.Random, text: _Text, parts: tuple[str, ...], family: str, ctx: _Ctx) -> None:
    slots = _SLOTS[family]
    for i, part in enumerate(parts):
        if not i % 2:
            if part:
                text.add(part)
        elif part == "user":
            text.mention(ctx.mention())
        elif part == "url":
            _news_link(rng, text, "rights" if ctx.category == "violation" else "news", ctx.year)
        elif part == "tag":
            text.tag(_pick(rng, _HASHTAGS[family][_TOPIC[ctx.category]]))
        elif part[0] == "#":
            text.tag(part[1:])
        else:
            text.add(_pick(rng, slots[part]))


@dataclass(frozen=True, slots=True)
class _Ctx:
    category: str
    mention: MentionPicker
    year: int
    theme: Theme | None = None


def compose(
    rng: random.Random, text: _Text, lang_key: str, ctx: _Ctx, *, sentences: int = 1
) -> None:
    """Append one post body (template sentences, then hashtags, emoji, a link) to `text`."""
    family = FAMILY[lang_key]
    for i in range(sentences):
        if i:
            text.add("\n\n")
        _emit(rng, text, _pick(rng, COMPILED[lang_key][ctx.category]), family, ctx)
    _extras(rng, text, family, ctx)


def _extras(rng: random.Random, text: _Text, family: str, ctx: _Ctx) -> None:
    r = rng.random()
    if r < 0.3:
        text.add(" " + _pick(rng, _EMOJI[ctx.category]))
    tags: list[str] = []
    if ctx.theme is not None:
        tags.append(_pick(rng, ctx.theme.tags[family]))
    if rng.random() < _TAG_CHANCE[ctx.category]:
        pool = _HASHTAGS[family][_TOPIC[ctx.category]]
        tags.extend(_pick(rng, pool) for _ in range(1 + int(rng.random() * 2.2)))
        if family in ("ar", "he") and rng.random() < 0.3:
            tags.append(_pick(rng, _HASHTAGS["en"][_TOPIC[ctx.category]]))
    if tags:
        text.add("\n\n" if rng.random() < 0.35 else " ")
        for i, tag in enumerate(dict.fromkeys(tags)):
            if i:
                text.add(" ")
            text.tag(tag)
    if ctx.category in ("news", "violation") and rng.random() < 0.12:
        text.add(" ")
        _news_link(rng, text, _TOPIC[ctx.category], ctx.year)


# --------------------------------------------------------------------------------------------
# Users
# --------------------------------------------------------------------------------------------

# fmt: off
_NAMES: dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    "ar": (
        (
            ("محمد", "mohammad"), ("أحمد", "ahmad"), ("يوسف", "yousef"), ("عمر", "omar"),
            ("خالد", "khaled"), ("سامي", "sami"), ("رامي", "rami"), ("علي", "ali"),
            ("حسن", "hasan"), ("مصطفى", "mostafa"), ("فاطمة", "fatima"), ("نور", "nour"),
            ("مريم", "mariam"), ("ليلى", "layla"), ("رنا", "rana"), ("هبة", "heba"),
            ("سلمى", "salma"), ("دينا", "dina"), ("آية", "aya"), ("سارة", "sara"),
        ),
        (
            ("الخطيب", "khatib"), ("حداد", "haddad"), ("عودة", "odeh"), ("منصور", "mansour"),
            ("صالح", "saleh"), ("نصار", "nassar"), ("عبد الله", "abdallah"),
            ("الشريف", "sharif"), ("حمدان", "hamdan"), ("جابر", "jaber"), ("المصري", "masri"),
            ("سعيد", "saeed"), ("الزين", "zein"), ("ياسين", "yassin"), ("عيسى", "issa"),
        ),
    ),
    "he": (
        (
            ("יוסי", "yossi"), ("נועה", "noa"), ("אביטל", "avital"), ("משה", "moshe"),
            ("דניאל", "daniel"), ("תמר", "tamar"), ("איתי", "itay"), ("שירה", "shira"),
            ("אורי", "ori"), ("מיכל", "michal"), ("עומר", "omer"), ("רוני", "roni"),
        ),
        (
            ("כהן", "cohen"), ("לוי", "levi"), ("מזרחי", "mizrahi"), ("פרץ", "peretz"),
            ("ביטון", "biton"), ("אברהם", "avraham"), ("פרידמן", "friedman"),
            ("שפירא", "shapira"), ("גולן", "golan"), ("בן דוד", "bendavid"),
        ),
    ),
    "en": (
        (
            ("Sarah", "sarah"), ("Daniel", "dan"), ("Emma", "emma"), ("James", "james"),
            ("Olivia", "olivia"), ("Adam", "adam"), ("Hannah", "hannah"), ("Omar", "omar"),
            ("Layla", "layla"), ("Maya", "maya"), ("Noah", "noah"), ("Grace", "grace"),
        ),
        (
            ("Miller", "miller"), ("Brooks", "brooks"), ("Carter", "carter"),
            ("Haddad", "haddad"), ("Nasser", "nasser"), ("Collins", "collins"),
            ("Reed", "reed"), ("Hughes", "hughes"), ("Bennett", "bennett"), ("Khan", "khan"),
        ),
    ),
}
# fmt: on

_NAMES["arz"] = (
    tuple((lat.capitalize(), lat) for _, lat in _NAMES["ar"][0]),
    tuple((lat.capitalize(), lat) for _, lat in _NAMES["ar"][1]),
)
_NAME_SUFFIX = {"ar": (" 🇵🇸", " 🕊️", " | صحفية", " | ناشط"), "he": (" 🎗️",), "en": (" 🇵🇸",)}
_ORGS = (
    ("ar", "مرصد الحقوق الرقمية", "drights_obs"),
    ("ar", "شبكة الساحل الإخبارية", "sahel_news24"),
    ("ar_lev", "نبض المدينة", "nabd_almadina"),
    ("he", "חדשות הגליל עכשיו", "galil_now"),
    ("he", "קול השכונה", "kol_hashchuna"),
    ("en", "Levant Wire", "levant_wire"),
    ("en", "The Daily Pulse", "dailypulse_news"),
)


@dataclass(frozen=True, slots=True)
class _Author:
    user: Json
    lang_key: str
    org: bool = False  # news outlets and NGOs post news and violation reports only


def _user_id(rng: random.Random) -> str:
    if rng.random() < 0.45:
        return str(rng.randrange(10**7, 4 * 10**9))
    ms = rng.randrange(1_420_070_400_000, 1_735_689_600_000)  # 2015-2024
    return str(((ms - _TWEPOCH_MS) << 22) | rng.randrange(1 << 22))


def _username(rng: random.Random, first: str, last: str, taken: set[str]) -> str:
    style = rng.random()
    if style < 0.4:
        base = f"{first}_{last}"
    elif style < 0.7:
        base = f"{first}{last[:3]}{rng.randrange(10, 99)}"
    else:
        base = f"{first[0]}{last}"
    base = base[:15]
    name = base
    while name in taken:
        name = f"{base[:11]}{rng.randrange(1000, 9999)}"
    taken.add(name)
    return name


def _make_author(rng: random.Random, lang_key: str, taken: set[str], ids: set[str]) -> _Author:
    family = FAMILY[lang_key]
    firsts, lasts = _NAMES[family]
    (first, first_lat), (last, last_lat) = _pick(rng, firsts), _pick(rng, lasts)
    name = f"{first} {last}"
    suffixes = _NAME_SUFFIX.get(family, ())
    if suffixes and rng.random() < 0.15:
        name += _pick(rng, suffixes)
    uid = _user_id(rng)
    while uid in ids:
        uid = _user_id(rng)
    ids.add(uid)
    username = _username(rng, first_lat, last_lat, taken)
    return _Author({"id": uid, "name": name, "username": username}, lang_key)


def _make_authors(rng: random.Random, n: int, *, orgs: bool) -> list[_Author]:
    taken: set[str] = set()
    ids: set[str] = set()
    out: list[_Author] = []
    if orgs:
        for lang_key, name, username in _ORGS:
            uid = str(rng.randrange(10**7, 10**9))
            ids.add(uid)
            taken.add(username)
            out.append(_Author({"id": uid, "name": name, "username": username}, lang_key, True))
    while len(out) < n:
        out.append(_make_author(rng, _LANG_KEYS.draw(rng), taken, ids))
    return out[:n]


def generate_users(rng: random.Random, n: int) -> list[dict[str, Any]]:
    """`n` X API v2 user objects (id, name, username), names in the user's own language."""
    return [a.user for a in _make_authors(rng, n, orgs=False)]


class _UserPool:
    """Authors grouped by language family; a few accounts post far more than the rest."""

    def __init__(self, rng: random.Random, n: int) -> None:
        self.rng = rng
        self.authors = _make_authors(rng, n, orgs=True)
        self.by_id = {a.user["id"]: a.user for a in self.authors}
        self.by_family: dict[str, list[_Author]] = {}
        for a in self.authors:
            self.by_family.setdefault(FAMILY[a.lang_key], []).append(a)

    def pick(self, family: str | None = None, *, skew: float = 2.5) -> _Author:
        group = self.authors if family is None else self.by_family.get(family, self.authors)
        return group[int(len(group) * self.rng.random() ** skew)]

    def mention(self) -> Json:
        return self.pick(skew=1.5).user


# --------------------------------------------------------------------------------------------
# Time: hourly volumes with a daily rhythm and event spikes, newest first
# --------------------------------------------------------------------------------------------

# UTC hours; the region is UTC+2/+3, so the evening peak is around 17-20 UTC.
_DAILY = (
    0.25, 0.18, 0.15, 0.15, 0.2, 0.35, 0.55, 0.75, 0.9, 1.0, 1.0, 1.0,
    1.05, 1.1, 1.1, 1.15, 1.25, 1.4, 1.5, 1.5, 1.35, 1.05, 0.7, 0.4,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Spike:
    hour: int
    height: float
    theme: Theme

    def weight(self, hour: int) -> float:
        d = hour - self.hour
        if d < -12 or d > 150:
            return 0.0
        return self.height * (exp(-d / 30.0) if d >= 0 else exp(d / 3.0))


class _Schedule:
    """When each post is published: `n_posts` millisecond instants, newest first."""

    def __init__(self, rng: random.Random, n_posts: int, start_ms: int, days: int) -> None:
        self.rng = rng
        self.start_ms = start_ms
        hours = max(1, days * 24)
        n_spikes = 2 if days >= 30 else (1 if days >= 3 else 0)
        themes = rng.sample(THEMES, n_spikes)
        self.spikes = [
            _Spike(int(hours * (0.1 + 0.8 * rng.random())), 12.0 * (0.7 + rng.random()), t)
            for t in themes
        ]
        base = [_DAILY[h % 24] * rng.lognormvariate(0.0, 0.3) for h in range(hours)]
        spiky = [[s.weight(h) for s in self.spikes] for h in range(hours)]
        weights = [b + sum(sp) for b, sp in zip(base, spiky, strict=True)]
        self.spike_share = [
            (sum(sp) / w, max(range(len(sp)), key=sp.__getitem__) if sp else -1)
            for sp, w in zip(spiky, weights, strict=True)
        ]
        total = sum(weights)
        cum = [int(c / total * n_posts) for c in accumulate(weights)]
        cum[-1] = n_posts
        self.counts = [b - a for a, b in zip([0, *cum[:-1]], cum, strict=True)]

    def slots(self) -> Iterator[tuple[int, Theme | None]]:
        rng = self.rng
        for hour in range(len(self.counts) - 1, -1, -1):
            count = self.counts[hour]
            if not count:
                continue
            share, spike = self.spike_share[hour]
            base = self.start_ms + hour * _HOUR_MS
            for offset in sorted(
                (int(rng.random() * _HOUR_MS) for _ in range(count)), reverse=True
            ):
                theme = self.spikes[spike].theme if share and rng.random() < share else None
                yield base + offset, theme


class _Clock:
    """created_at strings ("2025-03-01T10:20:30.000Z") from epoch milliseconds, fast."""

    def __init__(self) -> None:
        self.prefix: dict[int, str] = {}

    def iso(self, ms: int) -> str:
        hour, rem = divmod(ms, _HOUR_MS)
        prefix = self.prefix.get(hour)
        if prefix is None:
            prefix = datetime.fromtimestamp(hour * 3600, UTC).strftime("%Y-%m-%dT%H:")
            self.prefix[hour] = prefix
        return f"{prefix}{rem // 60000:02d}:{rem // 1000 % 60:02d}.000Z"


# --------------------------------------------------------------------------------------------
# X API v2 tweets
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Post:
    """A data tweet plus what its page must include for it."""

    tweet: Json
    author: _Author
    included: list[Json] = field(default_factory=list)
    media: list[Json] = field(default_factory=list)
    users: list[str] = field(default_factory=list)


def _metrics(rng: random.Random, boost: float = 1.0) -> Json:
    likes = min(int((rng.paretovariate(1.2) - 1.0) * 6 * boost), 2_000_000)
    r = rng.random()
    metrics = {
        "retweet_count": int(likes * 0.25 * r),
        "reply_count": int(likes * 0.12 * rng.random()),
        "like_count": likes,
        "quote_count": int(likes * 0.04 * r),
        "bookmark_count": int(likes * 0.05 * rng.random()),
    }
    if rng.random() > 0.05:
        metrics["impression_count"] = int(likes * (30 + 60 * r) + 20 + rng.random() * 300)
    return metrics


_ORG_CATEGORIES = frozenset({"news", "violation", "reaction"})


def _fit_category(author: _Author, category: str) -> str:
    """Outlets and NGOs do not post chatter, hate or insults: make those news instead."""
    return "news" if author.org and category not in _ORG_CATEGORIES else category


_X_LANG = {"ar": "ar", "he": "iw", "en": "en"}
_ARABIZI_LANG = _Weighted.of({"und": 60, "en": 25, "in": 10, "tl": 5})


def _x_lang(rng: random.Random, family: str) -> str:
    if family == "arz":
        return _ARABIZI_LANG.draw(rng)
    if family == "ar" and rng.random() < 0.015:
        return "und"
    return _X_LANG[family]


class _XStream:
    """Tweets newest first; referenced tweets are older and may appear later in the stream."""

    def __init__(
        self, rng: random.Random, n_posts: int, start: datetime, days: int, single_author: bool
    ) -> None:
        self.rng = rng
        self.n_posts = n_posts
        self.start_ms = int(start.timestamp() * 1000)
        self.year = start.year
        self.pool = _UserPool(rng, min(max(60, n_posts // 5), 20_000))
        self.single = self.pool.authors[0] if single_author else None
        self.schedule = _Schedule(rng, n_posts, self.start_ms, days)
        self.clock = _Clock()
        self.seq = 0
        self.pending: list[tuple[int, int, _Post]] = []

    def posts(self) -> Iterator[_Post]:
        for ms, theme in self.schedule.slots():
            if self.pending and -self.pending[0][0] >= ms:
                yield heapq.heappop(self.pending)[2]
            else:
                yield self._new(ms, theme)

    def _new(self, ms: int, theme: Theme | None) -> _Post:
        r = self.rng.random()
        if r < 0.10:
            return self._retweet(ms)
        if r < 0.15:
            return self._quote(ms, theme)
        if r < 0.30:
            return self._reply(ms, theme)
        author = self.single or self.pool.pick()
        return self._original(ms, author, theme, self._category(theme))

    def _category(self, theme: Theme | None) -> str:
        if self.single is not None:
            return _CAT_OBSERVATORY.draw(self.rng)
        return (_CAT_ORIGINAL if theme is None else _CAT_EVENT).draw(self.rng)

    def _lang_key(self, author: _Author) -> str:
        return _LANG_OBSERVATORY.draw(self.rng) if author is self.single else author.lang_key

    def _id(self, ms: int) -> int:
        self.seq += 1
        return ((ms - _TWEPOCH_MS) << 22) | (0x3FFFFF - (self.seq & 0x3FFFFF))

    def _tweet(self, tid: int, ms: int, author: _Author, text: str, lang: str) -> Json:
        sid = str(tid)
        return {
            "id": sid,
            "text": text,
            "author_id": author.user["id"],
            "created_at": self.clock.iso(ms),
            "conversation_id": sid,
            "lang": lang,
            "edit_history_tweet_ids": [sid],
            "possibly_sensitive": False,
            "public_metrics": _metrics(self.rng),
        }

    def _original(self, ms: int, author: _Author, theme: Theme | None, category: str) -> _Post:
        rng = self.rng
        category = _fit_category(author, category)
        tid = self._id(ms)
        lang_key = self._lang_key(author)
        family = FAMILY[lang_key]
        text = _Text()
        ctx = _Ctx(category, self.pool.mention, self.year, theme)
        r = rng.random()
        if r < 0.01:  # hashtags only
            pool = _HASHTAGS[family][_TOPIC[category]]
            for i, tag in enumerate(dict.fromkeys(_pick(rng, pool) for _ in range(3))):
                text.add(" " if i else "")
                text.tag(tag)
            lang = "qht"
        else:
            long = r > 0.98
            compose(rng, text, lang_key, ctx, sentences=3 + int(rng.random() * 2) if long else 1)
            lang = _x_lang(rng, family)
        post = _Post(self._tweet(tid, ms, author, "", lang), author)
        if rng.random() < 0.12:
            self._attach_media(post, text, tid, only=lang != "qht" and rng.random() < 0.05)
        self._set_text(post.tweet, text)
        post.users = [author.user["id"], *(m["id"] for m in text.mentions)]
        if rng.random() < 0.005:
            post.tweet["edit_history_tweet_ids"] = [
                str(tid - (rng.randrange(1, 600_000) << 22)),
                str(tid),
            ]
        return post

    def _attach_media(self, post: _Post, text: _Text, tid: int, *, only: bool) -> None:
        rng = self.rng
        video = rng.random() < 0.2
        key = f"{7 if video else 3}_{tid + rng.randrange(1, 1 << 20)}"
        name = "".join(rng.choices(_ALNUM, k=15))
        media: Json = {"media_key": key, "type": "video" if video else "photo"}
        if video:
            media["preview_image_url"] = (
                f"https://pbs.twimg.com/ext_tw_video_thumb/{tid}/pu/img/{name}.jpg"
            )
            media["duration_ms"] = rng.randrange(5_000, 180_000)
        else:
            media["url"] = f"https://pbs.twimg.com/media/{name}.jpg"
        media["width"], media["height"] = _pick(rng, ((1200, 675), (1080, 1350), (720, 1280)))
        if only:
            text.parts.clear()
            text.pos = 0
            text.hashtags.clear()
            text.mentions.clear()
            text.urls.clear()
            post.tweet["lang"] = "zxx"
        else:
            text.add(" ")
        username = post.author.user["username"]
        kind = "video" if video else "photo"
        text.link(
            rng,
            f"https://x.com/{username}/status/{tid}/{kind}/1",
            "pic.x.com/" + "".join(rng.choices(_ALNUM, k=10)),
            media_key=key,
        )
        post.tweet["attachments"] = {"media_keys": [key]}
        post.tweet["possibly_sensitive"] = rng.random() < 0.03
        post.media.append(media)

    def _set_text(self, tweet: Json, text: _Text) -> None:
        full = text.text
        if len(full) <= 280:
            tweet["text"] = full
            entities = text.entities()
        else:
            cut = full.rfind(" ", 0, 275)
            cut = cut if cut > 200 else 275
            tweet["text"] = full[:cut] + "…"
            entities = text.entities(limit=cut)
            tweet["note_tweet"] = {"text": full}
            if text.entities():
                tweet["note_tweet"]["entities"] = text.entities()
        if entities:
            tweet["entities"] = entities

    def _parent(self, ms: int, family: str | None, category: str, mean_delay_ms: int) -> _Post:
        rng = self.rng
        delay = 30_000 + int(rng.expovariate(1.0 / mean_delay_ms))
        author = self.pool.pick(family, skew=4.0)
        parent = self._original(ms - delay, author, None, category)
        parent.tweet["public_metrics"]["reply_count"] += 1
        if self.single is None and ms - delay >= self.start_ms and rng.random() < 0.5:
            heapq.heappush(self.pending, (-(ms - delay), self.seq, parent))
        return parent

    def _reply(self, ms: int, theme: Theme | None) -> _Post:
        rng = self.rng
        author = self.single or self.pool.pick()
        family = FAMILY[author.lang_key] if rng.random() < 0.85 else None
        parent = self._parent(ms, family, _CAT_ORIGINAL.draw(rng), 40 * 60_000)
        tid = self._id(ms)
        text = _Text()
        text.mention(self.pool.by_id[parent.tweet["author_id"]])
        text.add(" ")
        ctx = _Ctx(_fit_category(author, _CAT_REPLY.draw(rng)), self.pool.mention, self.year, theme)
        lang_key = self._lang_key(author)
        compose(rng, text, lang_key, ctx)
        tweet = self._tweet(tid, ms, author, "", _x_lang(rng, FAMILY[lang_key]))
        tweet["conversation_id"] = parent.tweet["conversation_id"]
        tweet["in_reply_to_user_id"] = parent.tweet["author_id"]
        tweet["referenced_tweets"] = [{"type": "replied_to", "id": parent.tweet["id"]}]
        self._set_text(tweet, text)
        users = [author.user["id"], parent.tweet["author_id"], *(m["id"] for m in text.mentions)]
        return _Post(tweet, author, [parent.tweet], [], users)

    def _quote(self, ms: int, theme: Theme | None) -> _Post:
        rng = self.rng
        author = self.single or self.pool.pick()
        quoted = self._parent(ms, None, _CAT_ORIGINAL.draw(rng), 6 * _HOUR_MS)
        tid = self._id(ms)
        text = _Text()
        ctx = _Ctx(_fit_category(author, _CAT_QUOTE.draw(rng)), self.pool.mention, self.year, theme)
        lang_key = self._lang_key(author)
        compose(rng, text, lang_key, ctx)
        if rng.random() < 0.3:
            q_user = self.pool.by_id[quoted.tweet["author_id"]]["username"]
            link = f"https://x.com/{q_user}/status/{quoted.tweet['id']}"
            text.add(" ")
            text.link(rng, link, link[8:30] + "…")
        tweet = self._tweet(tid, ms, author, "", _x_lang(rng, FAMILY[lang_key]))
        tweet["referenced_tweets"] = [{"type": "quoted", "id": quoted.tweet["id"]}]
        self._set_text(tweet, text)
        users = [author.user["id"], quoted.tweet["author_id"], *(m["id"] for m in text.mentions)]
        return _Post(tweet, author, [quoted.tweet], [], users)

    def _retweet(self, ms: int) -> _Post:
        rng = self.rng
        author = self.single or self.pool.pick()
        family = FAMILY[author.lang_key] if rng.random() < 0.8 else None
        original = self._parent(ms, family, _CAT_ORIGINAL.draw(rng), 10 * _HOUR_MS)
        orig = original.tweet
        orig_user = self.pool.by_id[orig["author_id"]]
        tid = self._id(ms)
        text = _Text()
        text.add("RT ")
        text.mention(orig_user)
        text.add(": ")
        shift = text.pos
        body = orig.get("note_tweet", orig)["text"]
        tweet = self._tweet(tid, ms, author, "", orig["lang"])
        tweet["public_metrics"] = {
            **{k: 0 for k in orig["public_metrics"]},
            "retweet_count": orig["public_metrics"]["retweet_count"],
        }
        tweet["referenced_tweets"] = [{"type": "retweeted", "id": orig["id"]}]
        full = text.text + body
        limit = len(full) if len(full) <= 140 else 139
        tweet["text"] = full if limit == len(full) else full[:limit] + "…"
        entities = _shifted_entities(orig.get("note_tweet", orig).get("entities", {}), shift, limit)
        entities["mentions"] = text.mentions + entities.get("mentions", [])
        tweet["entities"] = entities
        users = [author.user["id"], *(m["id"] for m in entities["mentions"])]
        return _Post(tweet, author, [orig], [], users)


def _shifted_entities(entities: Json, shift: int, limit: int) -> Json:
    out: Json = {}
    for key, items in entities.items():
        moved = [
            {**e, "start": e["start"] + shift, "end": e["end"] + shift}
            for e in items
            if e["end"] + shift <= limit
        ]
        if moved:
            out[key] = moved
    return out


def _page(posts: list[_Post], pool: _UserPool, rng: random.Random, last: bool) -> Json:
    users: dict[str, Json] = {}
    tweets: dict[str, Json] = {}
    media: list[Json] = []
    for post in posts:
        for uid in post.users:
            if uid not in users:
                users[uid] = pool.by_id[uid]
        for tweet in post.included:
            tweets.setdefault(tweet["id"], tweet)
            if tweet["author_id"] not in users:
                users[tweet["author_id"]] = pool.by_id[tweet["author_id"]]
        media.extend(post.media)
    includes: Json = {"users": list(users.values())}
    if tweets:
        includes["tweets"] = list(tweets.values())
    if media:
        includes["media"] = media
    data = [p.tweet for p in posts]
    meta: Json = {
        "newest_id": data[0]["id"],
        "oldest_id": data[-1]["id"],
        "result_count": len(data),
    }
    if not last:
        meta["next_token"] = "".join(rng.choices(_LOWER, k=44))
    return {"data": data, "includes": includes, "meta": meta}


def generate_x_v2_pages(
    n_posts: int,
    *,
    seed: int = 7,
    page_size: int = 100,
    start: datetime = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    single_author: bool = False,
) -> Iterator[dict[str, Any]]:
    """X API v2 search response pages holding `n_posts` tweets between `start` and
    `start + days`, newest first, `page_size` tweets a page. With `single_author`, every data
    tweet is by one account (a user timeline, GET /2/users/:id/tweets)."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if page_size < 1 or n_posts < 0 or days < 1:
        raise ValueError("need page_size >= 1, n_posts >= 0 and days >= 1")
    if n_posts == 0:
        yield {"meta": {"result_count": 0}}
        return
    rng = random.Random(seed)
    stream = _XStream(rng, n_posts, start, days, single_author)
    page: list[_Post] = []
    for done, post in enumerate(stream.posts(), 1):
        page.append(post)
        if len(page) == page_size or done == n_posts:
            yield _page(page, stream.pool, rng, last=done == n_posts)
            page = []


def write_x_v2_jsonl(path: str | Path, n_posts: int, **kw: Any) -> int:
    """Write X v2 pages as JSON Lines (one page a line); returns the number of tweets."""
    written = 0
    with open(path, "wb") as out:
        for page in generate_x_v2_pages(n_posts, **kw):
            out.write(orjson.dumps(page))
            out.write(b"\n")
            written += page["meta"]["result_count"]
    return written


# --------------------------------------------------------------------------------------------
# Flat rows (spreadsheets of Telegram channels, Facebook comments, ...)
# --------------------------------------------------------------------------------------------

_CAT_NEWSROOM = _Weighted.of({"news": 60, "violation": 40})
_CAT_CHANNEL = _Weighted.of(
    {"news": 35, "violation": 10, "chatter": 15, "hate": 15, "incitement": 15, "offensive": 10}
)
# Channels an NGO follows: news outlets, and neighbourhood channels where hate circulates.
_CHANNELS = (
    ("sahel_news24", "ar", _CAT_NEWSROOM),
    ("nabd_almadina", "ar_lev", _CAT_NEWSROOM),
    ("shabab_alhara", "ar_lev", _CAT_CHANNEL),
    ("galil_now", "he", _CAT_NEWSROOM),
    ("hakol_barechov", "he", _CAT_CHANNEL),
    ("levant_wire", "en", _CAT_NEWSROOM),
)
_CAT_COMMENT = _Weighted.of(
    {"reaction": 25, "chatter": 30, "offensive": 18, "hate": 12, "violation": 10, "incitement": 5}
)
_FB_PAGE = "SahelNewsNetwork"


@dataclass(slots=True)
class _Rows:
    """State shared by the rows of one table."""

    rng: random.Random
    platform: str
    people: list[_Author]
    counters: dict[str, int] = field(default_factory=dict)

    def mention(self) -> Json:
        return _pick(self.rng, self.people).user

    def text(self, lang_key: str, category: str, year: int, sentences: int = 1) -> str:
        text = _Text(shorten=False)
        compose(self.rng, text, lang_key, _Ctx(category, self.mention, year), sentences=sentences)
        return text.text


def generate_table_rows(
    n: int,
    *,
    seed: int = 7,
    platform: str = "telegram",
    start: datetime = DEFAULT_START,
    days: int = DEFAULT_DAYS,
) -> list[dict[str, str]]:
    """`n` flat rows, oldest first: id, date, author, text, url, lang (ar, he, en, ar-Latn).

    Dates are written as each source writes them: Telegram sheets "2025-03-01 10:20:30"
    (UTC, no zone, as a spreadsheet keeps them), Facebook "2025-03-01T10:20:30+0000" (Graph
    API), anything else ISO 8601 with "Z"."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    rng = random.Random(seed)
    seconds = sorted(int(rng.random() * days * 86_400) for _ in range(n))
    people = _make_authors(rng, 40, orgs=False)
    rows = _Rows(rng, platform, people)
    make = {"telegram": _telegram_row, "facebook": _facebook_row}.get(platform, _generic_row)
    return [make(rows, i, start + timedelta(seconds=s)) for i, s in enumerate(seconds)]


def _telegram_row(rows: _Rows, i: int, when: datetime) -> dict[str, str]:
    rng = rows.rng
    index = int(rng.random() * len(_CHANNELS))
    channel, lang_key, categories = _CHANNELS[index]
    # Message ids count per channel; distinct ranges keep (platform, message_id) unique here.
    first = 1000 + 50_000 * index + rng.randrange(20_000)
    msg_id = rows.counters.get(channel, first) + 1 + rng.randrange(40)
    rows.counters[channel] = msg_id
    sentences = 2 if rng.random() < 0.2 else 1
    return {
        "id": str(msg_id),
        "date": when.strftime("%Y-%m-%d %H:%M:%S"),
        "author": channel,
        "text": rows.text(lang_key, categories.draw(rng), when.year, sentences),
        "url": f"https://t.me/{channel}/{msg_id}",
        "lang": TABLE_LANG[FAMILY[lang_key]],
    }


def _facebook_row(rows: _Rows, i: int, when: datetime) -> dict[str, str]:
    rng = rows.rng
    author = _pick(rng, rows.people)
    post_id = str(120_000_000_000_000 + i // 6 * 7919)
    comment_id = str(rng.randrange(10**15, 10**16))
    return {
        "id": f"{post_id}_{comment_id}",
        "date": when.strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "author": author.user["name"],
        "text": rows.text(author.lang_key, _CAT_COMMENT.draw(rng), when.year),
        "url": f"https://www.facebook.com/{_FB_PAGE}/posts/{post_id}?comment_id={comment_id}",
        "lang": TABLE_LANG[FAMILY[author.lang_key]],
    }


def _generic_row(rows: _Rows, i: int, when: datetime) -> dict[str, str]:
    rng = rows.rng
    author = _pick(rng, rows.people)
    post_id = str(rng.randrange(10**15, 10**16))
    handle = author.user["username"]
    return {
        "id": post_id,
        "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "author": handle,
        "text": rows.text(author.lang_key, _CAT_ORIGINAL.draw(rng), when.year),
        "url": f"https://{rows.platform}.example/{handle}/{post_id}",
        "lang": TABLE_LANG[FAMILY[author.lang_key]],
    }
