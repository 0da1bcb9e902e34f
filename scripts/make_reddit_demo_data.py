"""Write the Reddit demo exports in marsad/demo/data/: `python scripts/make_reddit_demo_data.py`.

Hand-written synthetic posts of invented accounts in an invented subreddit; running it again
rewrites the same bytes.

- reddit_thread_2025.json: one `/comments/<id>.json` response, as Reddit returns it: an array
  of two Listings, the submission and its comment tree (nested `replies`, a `more` stub);
- reddit_netfreedom_submissions.zst: a per-subreddit Arctic Shift / Pushshift dump of
  submissions, one object per line, zstd-compressed with the dumps' 2 GiB window.
"""

# ruff: noqa: E501  (the posts are data; wrapping them would hurt more than it helps)

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import zstandard

DATA_DIR = Path(__file__).resolve().parent.parent / "marsad" / "demo" / "data"
SUB = "NetFreedomMENA"
SUB_ID = "t5_7rk2qa"
AUTHORS = {
    "raqib_watch": "t2_a1b2c3d4",
    "shomeret_reshet": "t2_e5f6g7h8",
    "openweb_sam": "t2_i9j0k1l2",
    "layla_digital": "t2_m3n4o5p6",
    "noa_privacy": "t2_q7r8s9t0",
    "karim_3arabi": "t2_u1v2w3x4",
}


def ts(month: int, day: int, hour: int, minute: int = 0) -> float:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC).timestamp()


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def submission(id_: str, author: str, created: float, title: str, **extra: Any) -> dict[str, Any]:
    permalink = f"/r/{SUB}/comments/{id_}/{extra.pop('slug', 'post')}/"
    data: dict[str, Any] = {
        "subreddit": SUB,
        "selftext": esc(extra.pop("selftext", "")),
        "author_fullname": AUTHORS.get(author),
        "title": esc(title),
        "subreddit_name_prefixed": f"r/{SUB}",
        "name": f"t3_{id_}",
        "upvote_ratio": 0.95,
        "ups": extra.get("score", 1),
        "score": 1,
        "edited": False,
        "is_self": True,
        "created": created,
        "domain": f"self.{SUB}",
        "over_18": False,
        "subreddit_id": SUB_ID,
        "id": id_,
        "author": author,
        "num_comments": 0,
        "permalink": permalink,
        "url": f"https://www.reddit.com{permalink}",
        "created_utc": created,
        "num_crossposts": 0,
        "is_video": False,
    }
    if author not in AUTHORS:
        del data["author_fullname"]
    data.update(extra)
    return data


def comment(
    id_: str, author: str, created: float, body: str, parent: str, **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "subreddit_id": SUB_ID,
        "subreddit": SUB,
        "replies": "",
        "id": id_,
        "author": author,
        "created_utc": created,
        "parent_id": parent,
        "score": 1,
        "author_fullname": AUTHORS.get(author),
        "body": esc(body),
        "name": f"t1_{id_}",
        "link_id": f"t3_{THREAD_ID}",
        "permalink": f"/r/{SUB}/comments/{THREAD_ID}/blocked_news_sites/{id_}/",
        "created": created,
        "controversiality": 0,
        "depth": 0,
        "ups": extra.get("score", 1),
    }
    if author not in AUTHORS:
        del data["author_fullname"]
    data.update(extra)
    return data


def listing(children: list[dict[str, Any]]) -> dict[str, Any]:
    data = {"after": None, "dist": None, "modhash": "", "geo_filter": "", "children": children}
    return {"kind": "Listing", "data": {**data, "before": None}}


def t1(data: dict[str, Any], *replies: dict[str, Any]) -> dict[str, Any]:
    if replies:
        data = {**data, "replies": listing(list(replies))}
    return {"kind": "t1", "data": data}


# --- the thread ------------------------------------------------------------------------------

THREAD_ID = "1kq7t2a"
THREAD = submission(
    THREAD_ID,
    "raqib_watch",
    ts(5, 12, 8, 30),
    "حجب 14 موقعاً إخبارياً منذ الليلة: شاركوا ما تلاحظونه",
    slug="blocked_news_sites",
    selftext="منذ منتصف الليل لا تفتح المواقع الإخبارية المستقلة من دون VPN.\n"
    "اكتبوا هنا المدينة والمزوّد ووقت بدء الحجب، وسنجمع النتائج في تقرير.",
    score=356,
    num_comments=14,
    link_flair_text="Shutdown",
)


def thread_comments() -> list[dict[str, Any]]:
    def c(id_: str, author: str, minute: int, body: str, parent: str, **kw: Any) -> dict[str, Any]:
        hour, minute = divmod(9 * 60 + minute, 60)
        return comment(id_, author, ts(5, 12, hour, minute), body, parent, **kw)

    top = f"t3_{THREAD_ID}"
    return [
        t1(
            c("mr1a001", "layla_digital", 2, "نفس الشي عندنا بعمّان، المزوّد الثاني كمان", top,
              score=88),
            t1(
                c("mr1a002", "karim_3arabi", 9,
                  "ya3ni kol el mawa2e3 el ikhbariyye ma7joobe? 3ndi nafs el mushkile", "t1_mr1a001",
                  score=21, depth=1),
                t1(c("mr1a003", "layla_digital", 15, "إيه، كلها إلا المواقع الرسمية",
                     "t1_mr1a002", score=17, depth=2)),
            ),
            t1(c("mr1a004", "openweb_sam", 20,
                 "Confirmed from our probes: DNS tampering on two ISPs, TLS resets on the third.",
                 "t1_mr1a001", score=64, depth=1)),
        ),
        t1(
            c("mr1a005", "shomeret_reshet", 31,
              "גם אצלנו בחיפה אתרי חדשות בערבית לא נטענים מהבוקר. מישהו בודק?", top, score=42),
            t1(c("mr1a006", "noa_privacy", 38,
                 "בדקתי עכשיו, אצלי זה עובד. אולי תלוי בספק", "t1_mr1a005", score=9, depth=1)),
        ),
        t1(
            c("mr1a007", "openweb_sam", 47,
              "We are collecting measurements here: https://measure.example/2025-05 &"
              " will publish the raw data.", top, score=120),
            t1(c("mr1a008", "raqib_watch", 55, "شكراً، أضفنا الرابط للمنشور الأصلي",
                 "t1_mr1a007", score=30, depth=1)),
            {"kind": "more", "data": {"count": 2, "name": "t1_mr1a099", "id": "mr1a099",
                                      "parent_id": "t1_mr1a007", "depth": 1,
                                      "children": ["mr1a099", "mr1a098"]}},
        ),
        t1(c("mr1a009", "[deleted]", 61, "[removed]", top, score=1)),
        t1(
            c("mr1a010", "noa_privacy", 70,
              "Reminder: a VPN app was removed from the local app store last week too.", top,
              score=-4),
            t1(c("mr1a011", "karim_3arabi", 79, "w kaman el telegram kan ba6i2 mbere7",
                 "t1_mr1a010", score=6, depth=1)),
        ),
        t1(c("mr1a012", "shomeret_reshet", 95,
             "עדכון: שני אתרים חזרו לעבוד, השאר עדיין חסומים", top, score=25)),
        t1(c("mr1a013", "layla_digital", 130,
             "تم تعليق صفحة الموقع على فيسبوك أيضاً، يبدو أنها حملة منسقة", top, score=51)),
    ]  # fmt: skip


# --- the dump --------------------------------------------------------------------------------

POSTS = [
    ("1hx0a01", "raqib_watch", (1, 8, 9), "تقرير: 37 حساباً لصحفيين عُلّقت في ديسمبر", "التفاصيل والمنهجية في الرابط.", 210, 18),
    ("1hx0a02", "openweb_sam", (1, 21, 14), "Mobile internet cut in the north for 48 hours", "", 340, 41),
    ("1hx0a03", "shomeret_reshet", (2, 3, 7), "הפוסט שלי על ההפגנה נמחק בלי הסבר", "ערערתי פעמיים ועדיין אין תשובה.", 77, 12),
    ("1hx0a04", "layla_digital", (2, 17, 19), "هل يراقب أحد حذف المحتوى العربي عن غزة؟", "نجمع أمثلة لمنشورات حُذفت خلال الشهر.", 158, 33),
    ("1hx0a05", "karim_3arabi", (3, 2, 11), "el account taba3i et3allaq ba3d ma nasharet video lal mo6ahra", "", 45, 9),
    ("1hx0a06", "noa_privacy", (3, 19, 16), "New spyware report & what it means for journalists", "Summary in the comments. Stay safe <3", 267, 28),
    ("1hx0a07", "openweb_sam", (4, 4, 10), "Shadow-banning study: Arabic hashtags reach 60% fewer users", "", 402, 57),
    ("1hx0a08", "raqib_watch", (4, 22, 8), "دليل: كيف توثّق حذف منشورك قبل أن يختفي", "1. لقطة شاشة بالتاريخ\n2. رابط المنشور\n3. نص الإشعار", 189, 14),
    ("1hx0a09", "shomeret_reshet", (5, 6, 13), "חסימת אתרים: רשימה מעודכנת לחודש מאי", "", 63, 7),
    ("1hx0a10", "[deleted]", (5, 28, 23), "Leaked blocklist from an ISP", "[removed]", 0, 5),
    ("1hx0a11", "layla_digital", (6, 15, 9), "قطع الإنترنت أثناء الامتحانات: للسنة الثالثة", "", 122, 20),
    ("1hx0a12", "noa_privacy", (7, 9, 18), "חוק המעקב החדש: מה משתנה לנו?", "סיכום קצר של ההצעה והשלכותיה על פרטיות.", 88, 16),
    ("1hx0a13", "openweb_sam", (8, 1, 12), "Weekly thread: report account suspensions here", "Include platform, date and the notice text.", 75, 64),
    ("1hx0a14", "karim_3arabi", (8, 27, 20), "shu el VPN elli lessa bisht3'el 3ndkom?", "", 39, 22),
    ("1hx0a15", "raqib_watch", (9, 30, 7), "بيان مشترك لمنظمات الحقوق الرقمية حول حجب المواقع", "", 143, 6),
    ("1hx0a16", "shomeret_reshet", (11, 12, 15), "דו\"ח שקיפות: כמה בקשות הסרה הוגשו השנה", "", 97, 11),
]  # fmt: skip


def dump_record(entry: tuple[Any, ...]) -> dict[str, Any]:
    id_, author, (month, day, hour), title, selftext, score, replies = entry
    created = ts(month, day, hour)
    extra: dict[str, Any] = {"selftext": selftext, "score": score, "num_comments": replies}
    if not selftext and id_ in ("1hx0a02", "1hx0a07", "1hx0a15"):
        url = f"https://news.example/{id_}"
        extra.update(is_self=False, domain="news.example", url=url, post_hint="link")
    if id_ == "1hx0a11":
        extra.update(crosspost_parent=f"t3_{THREAD_ID}", is_self=False)
        extra["url"] = f"/r/{SUB}/comments/{THREAD_ID}/blocked_news_sites/"
    record = submission(id_, author, created, title, slug="post", **extra)
    record["retrieved_on"] = int(created) + 86400
    return record


def zst_long(data: bytes) -> bytes:
    params = zstandard.ZstdCompressionParameters.from_level(
        19, window_log=31, enable_ldm=True, write_content_size=False
    )
    compressor = zstandard.ZstdCompressor(compression_params=params).compressobj()
    return compressor.compress(data) + compressor.flush()


def main() -> None:
    thread = [listing([{"kind": "t3", "data": THREAD}]), listing(thread_comments())]
    text = json.dumps(thread, ensure_ascii=False)
    (DATA_DIR / "reddit_thread_2025.json").write_text(text, encoding="utf-8")
    lines = "".join(json.dumps(dump_record(p), ensure_ascii=False) + "\n" for p in POSTS)
    (DATA_DIR / "reddit_netfreedom_submissions.zst").write_bytes(zst_long(lines.encode()))


if __name__ == "__main__":
    main()
