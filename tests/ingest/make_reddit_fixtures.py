"""Write the Reddit test fixtures (run: .venv/bin/python -m tests.ingest.make_reddit_fixtures).

API fixtures are written the way Reddit's JSON endpoints return them (`json.dumps` with its
default separators, keys in Reddit's order, text HTML-escaped as without `raw_json=1`):
`/r/<sub>/new.json`, `/comments/<id>.json` (an array of two Listings with nested `replies`)
and `/user/<name>/comments.json` pages saved one per line. Pushshift fixtures are NDJSON dumps:
`RS_2025-03.zst` compressed like the real dumps (zstd, `--long=31` window, no content size)
and `RC_2025-03` as it is after decompression. All content is synthetic; accounts and
subreddits are invented.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import zstandard

FIXTURES = Path(__file__).parent / "fixtures"
SUB = "DigitalRightsWatch"
SUB_ID = "t5_4hq2x9"


def ts(day: int, hour: int, minute: int = 0, second: int = 0) -> float:
    return datetime(2025, 3, day, hour, minute, second, tzinfo=UTC).timestamp()


def esc(text: str) -> str:
    """Reddit's escaping of text in JSON responses made without raw_json=1."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def submission(
    id_: str, author: str, author_id: str | None, title: str, created: float, **extra: Any
) -> dict[str, Any]:
    slug = extra.pop("slug", "post")
    selftext = extra.pop("selftext", "")
    permalink = f"/r/{SUB}/comments/{id_}/{slug}/"
    data: dict[str, Any] = {
        "approved_at_utc": None,
        "subreddit": SUB,
        "selftext": esc(selftext),
        "author_fullname": author_id,
        "saved": False,
        "gilded": 0,
        "clicked": False,
        "title": esc(title),
        "link_flair_richtext": [],
        "subreddit_name_prefixed": f"r/{SUB}",
        "hidden": False,
        "downs": 0,
        "name": f"t3_{id_}",
        "upvote_ratio": 0.96,
        "subreddit_type": "public",
        "ups": extra.get("score", 1),
        "total_awards_received": 0,
        "media_embed": {},
        "secure_media": None,
        "is_reddit_media_domain": False,
        "link_flair_text": None,
        "score": 1,
        "thumbnail": "self",
        "edited": False,
        "is_self": True,
        "created": created,
        "domain": f"self.{SUB}",
        "selftext_html": None,
        "likes": None,
        "archived": False,
        "over_18": False,
        "locked": False,
        "subreddit_id": SUB_ID,
        "id": id_,
        "author": author,
        "num_comments": 0,
        "send_replies": True,
        "permalink": permalink,
        "url": f"https://www.reddit.com{permalink}",
        "subreddit_subscribers": 18234,
        "created_utc": created,
        "num_crossposts": 0,
        "media": None,
        "is_video": False,
    }
    if author_id is None:
        del data["author_fullname"]
    data.update(extra)
    return data


def comment(
    id_: str, link: str, parent: str, author: str, author_id: str | None, body: str, **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "subreddit_id": SUB_ID,
        "approved_at_utc": None,
        "author_is_blocked": False,
        "comment_type": None,
        "edited": False,
        "total_awards_received": 0,
        "subreddit": SUB,
        "likes": None,
        "replies": "",
        "user_reports": [],
        "saved": False,
        "id": id_,
        "gilded": 0,
        "archived": False,
        "author": author,
        "created_utc": extra.get("created_utc", ts(1, 12)),
        "send_replies": True,
        "parent_id": parent,
        "score": 1,
        "author_fullname": author_id,
        "removal_reason": None,
        "body": esc(body),
        "downs": 0,
        "name": f"t1_{id_}",
        "is_submitter": False,
        "body_html": f'&lt;div class="md"&gt;&lt;p&gt;{esc(esc(body))}&lt;/p&gt;&lt;/div&gt;',
        "stickied": False,
        "link_id": f"t3_{link}",
        "score_hidden": False,
        "permalink": f"/r/{SUB}/comments/{link}/post/{id_}/",
        "subreddit_type": "public",
        "locked": False,
        "created": extra.get("created_utc", ts(1, 12)),
        "subreddit_name_prefixed": f"r/{SUB}",
        "controversiality": 0,
        "depth": 0,
        "ups": 1,
    }
    if author_id is None:
        del data["author_fullname"]
    data.update(extra)
    return data


def listing(children: list[dict[str, Any]], after: str | None = None) -> dict[str, Any]:
    return {
        "kind": "Listing",
        "data": {
            "after": after,
            "dist": len(children) or None,
            "modhash": "",
            "geo_filter": "",
            "children": children,
            "before": None,
        },
    }


def thing(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "data": data}


# --- API: /r/DigitalRightsWatch/new.json ------------------------------------------------------

SELF_AR = submission(
    "1j2abcd",
    "haqq_observer",
    "t2_8kq3xz1a",
    "تعليق حسابات الصحفيين & حذف المنشورات: ما الذي يحدث؟",
    ts(1, 10, 20, 30),
    slug="tlyq_hsabat_alshfyyn",
    selftext="منذ أمس تم تعليق أكثر من 20 حساباً لصحفيين في غزة.\nوثّقوا الحالات هنا.",
    score=412,
    ups=412,
    num_comments=4,
    link_flair_text="Report",
)
LINK_EN = submission(
    "1j2b7xk",
    "openweb_amira",
    "t2_5rt8plm2",
    "Internet shutdown in three districts, second day running",
    ts(1, 12, 5),
    slug="internet_shutdown_in_three_districts",
    is_self=False,
    domain="netblocks.example",
    url=esc("https://netblocks.example/reports/2025-03-01-shutdown?ref=r&src=reddit"),
    url_overridden_by_dest="https://netblocks.example/reports/2025-03-01-shutdown?ref=r&amp;src=reddit",
    post_hint="link",
    thumbnail="https://b.thumbs.redditmedia.com/exampleThumb01.jpg",
    score=158,
    num_comments=23,
)
IMAGE_HE = submission(
    "1j2c9qm",
    "shomer_reshet",
    "t2_9zz1kq7b",
    "צילום מסך: הפוסט שלי נמחק בגלל 'הסתה' #צנזורה",
    ts(1, 14, 40, 10),
    slug="tsilum_masach",
    is_self=False,
    domain="i.redd.it",
    url="https://i.redd.it/x7k2m9q4rb1e1.jpeg",
    url_overridden_by_dest="https://i.redd.it/x7k2m9q4rb1e1.jpeg",
    post_hint="image",
    is_reddit_media_domain=True,
    score=77,
    num_comments=9,
)
CROSSPOST_HE = submission(
    "1j2dq01",
    "shomer_reshet",
    "t2_9zz1kq7b",
    "שיתוף: השעיית חשבונות של עיתונאים",
    ts(2, 8, 15),
    slug="shituf",
    is_self=False,
    domain=f"self.{SUB}",
    url=f"/r/{SUB}/comments/1j2abcd/tlyq_hsabat_alshfyyn/",
    crosspost_parent="t3_1j2abcd",
    crosspost_parent_list=[{"id": "1j2abcd", "subreddit": SUB, "title": "…", "score": 412}],
    score=12,
    num_comments=0,
)
GALLERY_AR = submission(
    "1j2e5gz",
    "raqib_ar",
    "t2_3mm0qv8s",
    "صور من الوقفة ضد قطع الإنترنت",
    ts(2, 9, 30),
    slug="swr",
    is_self=False,
    domain="reddit.com",
    url="https://www.reddit.com/gallery/1j2e5gz",
    is_gallery=True,
    media_metadata={
        "p1k2": {
            "status": "valid",
            "e": "Image",
            "m": "image/jpg",
            "s": {
                "y": 1080,
                "x": 1440,
                "u": esc("https://preview.redd.it/p1k2.jpg?width=1440&s=aa1"),
            },
            "id": "p1k2",
        },
        "q9w8": {
            "status": "valid",
            "e": "AnimatedImage",
            "m": "image/gif",
            "s": {"y": 480, "x": 640, "gif": "https://i.redd.it/q9w8.gif"},
            "id": "q9w8",
        },
    },
    gallery_data={"items": [{"media_id": "q9w8", "id": 501}, {"media_id": "p1k2", "id": 502}]},
    score=-2,
    num_comments=1,
)
REMOVED = submission(
    "1j2f0aa",
    "[deleted]",
    None,
    "Leaked list of blocked sites",
    ts(2, 18, 45),
    slug="leaked_list",
    selftext="[removed]",
    removed_by_category="moderator",
    score=0,
    num_comments=2,
)

# --- API: /comments/1j2abcd.json -----------------------------------------------------------

C3 = comment(
    "mf3c003",
    "1j2abcd",
    "t1_mf2b002",
    "digital_mo",
    "t2_1abcdefg",
    "Same happened to my account, appeal denied <after 2 days> & no reason given",
    score=-3,
    created_utc=ts(1, 13, 0, 5),
    depth=2,
)
C2 = comment(
    "mf2b002",
    "1j2abcd",
    "t1_mf1a001",
    "shomer_reshet",
    "t2_9zz1kq7b",
    "גם אצלנו: שלושה חשבונות הושעו הבוקר",
    score=15,
    created_utc=ts(1, 11, 45),
    depth=1,
    replies=listing([thing("t1", C3)]),
)
C1 = comment(
    "mf1a001",
    "1j2abcd",
    "t3_1j2abcd",
    "raqib_ar",
    "t2_3mm0qv8s",
    "wallah el 7esab et3a2 men embare7, nafs el mushkila",
    score=57,
    created_utc=ts(1, 11, 2),
    is_submitter=False,
    replies=listing(
        [
            thing("t1", C2),
            thing(
                "more",
                {
                    "count": 3,
                    "name": "t1_mf9z999",
                    "id": "mf9z999",
                    "parent_id": "t1_mf1a001",
                    "depth": 1,
                    "children": ["mf9z999", "mf9z998", "mf9z997"],
                },
            ),
        ]
    ),
)
C4 = comment(
    "mf4d004",
    "1j2abcd",
    "t3_1j2abcd",
    "[deleted]",
    None,
    "[removed]",
    score=1,
    created_utc=ts(1, 15, 30),
)
MORE_TOP = thing(
    "more",
    {
        "count": 1,
        "name": "t1_mf5e005",
        "id": "mf5e005",
        "parent_id": "t3_1j2abcd",
        "depth": 0,
        "children": ["mf5e005"],
    },
)

# --- API: /user/openweb_amira/comments.json, two pages saved one per line ---------------------


def user_comment(id_: str, link: str, body: str, created: float, **extra: Any) -> dict[str, Any]:
    data = comment(
        id_, link, f"t3_{link}", "openweb_amira", "t2_5rt8plm2", body, created_utc=created
    )
    data.pop("replies")
    data.update(
        {
            "link_title": "Internet shutdown in three districts, second day running",
            "link_author": "openweb_amira",
            "link_permalink": f"https://www.reddit.com/r/{SUB}/comments/{link}/post/",
            "link_url": "https://netblocks.example/reports/2025-03-01-shutdown",
            "num_comments": 23,
            "over_18": False,
            "quarantine": False,
            "replies": "",
        }
    )
    data.update(extra)
    return data


UC1 = user_comment(
    "mf6u001",
    "1j2b7xk",
    "Update: mobile data is back in two of the districts, fixed lines still down.",
    ts(2, 7, 10),
    score=31,
)
UC2 = user_comment(
    "mf6u002",
    "1j2b7xk",
    "المصدر: قياسات الشبكة من ثلاث مدن، التقرير الكامل في الرابط أعلاه",
    ts(2, 7, 25),
    score=8,
    parent_id="t1_mf6u001",
)
UC3 = user_comment(
    "mf7u003",
    "1j2c9qm",
    "Documented. Please also file an appeal, the form is in the sidebar.",
    ts(3, 7),
    score=4,
    link_title="צילום מסך: הפוסט שלי נמחק בגלל 'הסתה' #צנזורה",
)

# --- Pushshift dumps -----------------------------------------------------------------------


def dumped(data: dict[str, Any], retrieved: float) -> dict[str, Any]:
    """A record as the Arctic Shift dumps hold it: the API object plus when it was fetched."""
    out = {k: v for k, v in data.items() if k not in ("replies", "body_html", "selftext_html")}
    out["retrieved_on"] = int(retrieved)
    return out


PS_SUBMISSIONS = [
    dumped(SELF_AR, ts(3, 0)),
    {  # an older Pushshift line: fewer fields, created_utc as a string, no author_fullname
        "author": "haqq_observer",
        "created_utc": str(int(ts(3, 7))),
        "domain": f"self.{SUB}",
        "id": "1j3k2aa",
        "is_self": True,
        "num_comments": 6,
        "over_18": False,
        "permalink": f"/r/{SUB}/comments/1j3k2aa/hjb_almwaqe/",
        "retrieved_on": int(ts(4, 0)),
        "score": 95,
        "selftext": "قائمة المواقع المحجوبة هذا الأسبوع:\n- مواقع إخبارية\n- منصات VPN",
        "stickied": False,
        "subreddit": SUB,
        "subreddit_id": SUB_ID,
        "title": "حجب المواقع: تحديث أسبوعي",
        "url": f"https://www.reddit.com/r/{SUB}/comments/1j3k2aa/hjb_almwaqe/",
    },
    dumped(CROSSPOST_HE, ts(3, 0)),
    dumped(LINK_EN, ts(3, 0)),
]
PS_COMMENTS = [
    dumped(C1, ts(3, 0)),
    dumped(C3, ts(3, 0)),
    {  # an older Pushshift comment: no name, no permalink, created_utc as a string
        "author": "netfree_il",
        "author_flair_text": None,
        "body": 'הודעה רשמית: האתר חסום ע"י הספק, לא תקלה טכנית',
        "controversiality": 0,
        "created_utc": str(int(ts(4, 21, 10, 5))),
        "distinguished": None,
        "edited": False,
        "gilded": 0,
        "id": "mf8h555",
        "link_id": "t3_1j3k2aa",
        "parent_id": "t3_1j3k2aa",
        "retrieved_on": int(ts(5, 0)),
        "score": 6,
        "stickied": False,
        "subreddit": SUB,
        "subreddit_id": SUB_ID,
    },
    dumped(C4, ts(3, 0)),
]


# --- writing -------------------------------------------------------------------------------


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def ndjson(records: list[dict[str, Any]]) -> bytes:
    return "".join(dumps(r) + "\n" for r in records).encode()


def zst_long(data: bytes) -> bytes:
    """zstd as the dumps are made (`zstd --long=31`): 2 GiB window, no content size, streamed."""
    params = zstandard.ZstdCompressionParameters.from_level(
        19, window_log=31, enable_ldm=True, write_content_size=False
    )
    compressor = zstandard.ZstdCompressor(compression_params=params).compressobj()
    return compressor.compress(data) + compressor.flush()


def main() -> None:
    api = FIXTURES / "reddit_api"
    new = [thing("t3", d) for d in (SELF_AR, LINK_EN, IMAGE_HE, CROSSPOST_HE, GALLERY_AR, REMOVED)]
    write(api / "r_digitalrights_new.json", dumps(listing(new, after="t3_1j2f0aa")))
    post = dict(SELF_AR, selftext_html=esc('<div class="md"><p>…</p></div>'))
    thread = [listing([thing("t3", post)]), listing([thing("t1", C1), thing("t1", C4), MORE_TOP])]
    write(api / "comments_1j2abcd.json", dumps(thread))
    pages = [
        listing([thing("t1", UC1), thing("t1", UC2)], after="t1_mf6u002"),
        listing([thing("t1", UC3)]),
    ]
    write(api / "user_openweb_amira_comments.jsonl", "".join(dumps(p) + "\n" for p in pages))
    ps = FIXTURES / "reddit_pushshift"
    ps.mkdir(parents=True, exist_ok=True)
    (ps / "RS_2025-03.zst").write_bytes(zst_long(ndjson(PS_SUBMISSIONS)))
    (ps / "RC_2025-03").write_bytes(ndjson(PS_COMMENTS))


if __name__ == "__main__":
    main()
