"""Hypothesis strategies for text that looks like posts in marsad's languages."""

from hypothesis import strategies as st

ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"  # Arabic letters
    "أإآٱىةؤئکیپچژگ"  # variants, Persian letters
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u06d6\u06e1\u0640"  # marks, tatweel
    "٠١٢٣٤٥۴۵۶"  # Arabic-Indic and Eastern digits
    "אבגדהוזחטיכלמנסעפצקרשתךםןףץ"  # Hebrew letters
    "\u05b0\u05b4\u05b7\u05b8\u05bc\u05c1\u05c2\u0591\u0596"  # niqqud, cantillation
    "׳״־"  # geresh, gershayim, maqaf
    "abcehpstwxyzABHTWZéßİ"  # Latin
    "0123479"
    " \n\t\u00a0\u3000"
    "#@＃＠_/:.,!?()&'\"«»،؟"
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\u061c"  # invisible
    "😂🔥🇵🇸❤\ufe0f"
    "ﷲﻻשּׁﬁＧ"  # presentation and compatibility forms
    "\u0301\u0308"  # Latin combining marks
)

PIECES = (
    "https://",
    "http://",
    "www.",
    "t.co/",
    ".com",
    "#",
    "@",
    "ههههه",
    "soooo",
    "wwww",
    "www",
    "3arab",
    "ya3ni",
    "yalla",
    "   ",
)

post_like = st.lists(
    st.one_of(st.text(alphabet=ALPHABET, max_size=8), st.sampled_from(PIECES)), max_size=12
).map("".join)

any_text = st.one_of(st.text(), post_like)
