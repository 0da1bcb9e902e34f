"""The post-label taxonomy (DESIGN.md): what every classifier predicts and every dataset maps to.

- `incitement`: calls for or threats of violence;
- `hate`: dehumanising or degrading a group for nationality/ethnicity, religion, gender,
  sexual orientation, disability;
- `offensive`: insults, profanity, abuse without a protected target;
- `none`.

A post may also carry a motive/target (`TARGETS`) where the data has one.
"""

from __future__ import annotations

LABELS: tuple[str, ...] = ("incitement", "hate", "offensive", "none")
HARMFUL: tuple[str, ...] = LABELS[:3]
NONE = "none"
TARGETS: tuple[str, ...] = (
    "political",
    "national_ethnic",
    "religious",
    "gender",
    "sexual_orientation",
    "other",
)
LANGUAGES: tuple[str, ...] = ("ar", "he", "en")
