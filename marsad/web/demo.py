"""Synthetic demo cases for `marsad demo`: about 60 reports in Arabic, Hebrew and English, across
violation types and platforms, in every state, with escalations, platform replies, outcomes,
notes and public summaries, plus one demo login per persona.

Everything is written through the case actions, so the audit log is real. The plan of the
cases is a pure function of the seed (`plan_cases`); only receipt codes, passphrase hashes and
the demo passwords are random. Reports are backdated over the past year (their `received_at`
and `verified_at`) so the dashboard has months to show; the audit log keeps the time the demo
wrote them. Every person, account and text here is made up.

Run as `python -m marsad.web.demo PROJECT_DIR` (what `marsad demo` does, in its own process,
since a process sets Django up for one project only).
"""

from __future__ import annotations

import random
import secrets
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

SEED = 2024
DEMO_PASSPHRASE = "demo olive grove 2024"
PERSONAS = ("documenter", "verifier", "analyst", "admin")
LANGUAGES = ("ar", "he", "en")

# How many demo cases end in each state (60 in all).
STATE_COUNTS: dict[str, int] = {
    "received": 6,
    "triaged": 5,
    "documented": 5,
    "verified": 6,
    "escalated": 7,
    "outcome": 8,
    "closed": 10,
    "rejected": 5,
    "duplicate": 4,
    "withdrawn": 4,
}
PLATFORMS = ("facebook", "instagram", "x", "tiktok", "youtube", "telegram", "whatsapp")
PERPETRATORS = ("platform_company", "state_authority", "non_state_group", "individual")
AFFECTED = ("individual", "journalist", "activist", "organisation", "media_outlet")
OUTCOMES = ("restored", "removed", "partially_restored", "no_response")
ENDED = ("withdrawn", "rejected", "duplicate")
VERIFIED = ("verified", "escalated", "outcome", "closed")

# What happened, by violation type: (English, Arabic, Hebrew). Made up for the demo.
STORIES: dict[str, tuple[str, str, str]] = {
    "content_removal": (
        "My post documenting the demolition of our home was removed as 'violating community "
        "standards'.",
        "أُزيل منشوري الذي يوثّق هدم منزلنا بحجة مخالفة معايير المجتمع.",
        "הפוסט שלי שתיעד את הריסת הבית שלנו הוסר בטענה שהוא מפר את כללי הקהילה.",
    ),
    "account_suspension": (
        "My account was suspended without warning after I shared news from the protest.",
        "عُلّق حسابي دون سابق إنذار بعد أن نشرت أخبارًا من المظاهرة.",
        "החשבון שלי הושעה ללא אזהרה אחרי ששיתפתי חדשות מההפגנה.",
    ),
    "restriction": (
        "My posts no longer reach my followers, and the platform warned me about "
        "'dangerous organisations'.",
        "لم تعد منشوراتي تصل إلى متابعيّ، وحذّرتني المنصة بشأن «المنظمات الخطرة».",
        "הפוסטים שלי כבר לא מגיעים לעוקבים שלי, והפלטפורמה הזהירה אותי מפני ארגונים מסוכנים.",
    ),
    "hate_speech": (
        "A page keeps publishing posts that call the people of my town animals.",
        "صفحة تواصل نشر منشورات تصف أهل بلدتي بالحيوانات.",
        "עמוד ממשיך לפרסם פוסטים שמכנים את תושבי העיירה שלי חיות.",
    ),
    "incitement": (
        "A channel posted my photo and address and called on people to deal with me.",
        "نشرت قناة صورتي وعنواني ودعت الناس إلى التعامل معي.",
        "ערוץ פרסם את התמונה והכתובת שלי וקרא לאנשים לטפל בי.",
    ),
    "gender_based_violence": (
        "I receive dozens of sexual insults every day since I spoke on television.",
        "تصلني عشرات الشتائم الجنسية يوميًا منذ أن تحدثت على التلفزيون.",
        "אני מקבלת עשרות עלבונות מיניים בכל יום מאז שדיברתי בטלוויזיה.",
    ),
    "smear_campaign": (
        "Fake accounts are spreading a fabricated screenshot claiming that I support violence.",
        "تنشر حسابات وهمية لقطة شاشة مفبركة تزعم أنني أؤيد العنف.",
        "חשבונות מזויפים מפיצים צילום מסך מפוברק שטוען שאני תומך באלימות.",
    ),
    "hacking": (
        "Someone took over my account, changed its email address and deleted my archive.",
        "استولى أحدهم على حسابي وغيّر بريده الإلكتروني وحذف أرشيفي.",
        "מישהו השתלט על החשבון שלי, שינה את כתובת הדוא״ל ומחק את הארכיון שלי.",
    ),
    "surveillance": (
        "My phone showed signs of spyware after I received a strange link by SMS.",
        "ظهرت على هاتفي علامات برنامج تجسس بعد أن وصلني رابط غريب في رسالة نصية.",
        "בטלפון שלי הופיעו סימנים של רוגלה אחרי שקיבלתי קישור מוזר במסרון.",
    ),
    "detention": (
        "I was questioned by the police for two days because of a poem I posted.",
        "استجوبتني الشرطة يومين بسبب قصيدة نشرتها.",
        "נחקרתי במשטרה יומיים בגלל שיר שפרסמתי.",
    ),
    "access_restriction": (
        "The mobile internet in our area was cut for three days.",
        "قُطع الإنترنت الخلوي في منطقتنا ثلاثة أيام.",
        "האינטרנט הסלולרי באזור שלנו נותק לשלושה ימים.",
    ),
    "service_exclusion": (
        "The payment service closed our association's account without giving a reason.",
        "أغلقت خدمة الدفع حساب جمعيتنا دون ذكر السبب.",
        "שירות התשלומים סגר את החשבון של העמותה שלנו בלי לתת סיבה.",
    ),
}
# A published, anonymised summary, by language: {type} and {platform} are term names.
SUMMARIES = {
    "en": "{type} on {platform}: reported to us and verified by our team.",
    "ar": "{type} على {platform}: وصلنا البلاغ وتحقق منه فريقنا.",
    "he": "{type} ב־{platform}: הדיווח הגיע אלינו ואומת על ידי הצוות שלנו.",
}
REPORTER = {"en": "Demo reporter {n}", "ar": "مبلّغ تجريبي {n}", "he": "מדווח לדוגמה {n}"}
LOCATIONS = ("Haifa", "Nazareth", "Jerusalem", "Ramallah", "Gaza", "Hebron", "Jaffa", "Nablus")


@dataclass(frozen=True, slots=True)
class DemoCase:
    """One planned demo case: what is reported, and how far the staff take it."""

    number: int
    language: str
    violation_type: str
    platform: str
    perpetrator: str
    affected_party: str
    state: str
    days_ago: int
    outcome: str = ""
    answer_days: int | None = None  # days the platform took to answer (None: no answer)
    public_summary: bool = False
    wants_contact: bool = False


def _story(violation_type: str, language: str) -> str:
    english, arabic, hebrew = STORIES[violation_type]
    return {"en": english, "ar": arabic, "he": hebrew}[language]


def plan_cases(seed: int = SEED) -> list[DemoCase]:
    """The demo cases for this seed: the same list every time."""
    rng = random.Random(seed)
    states = [state for state, n in STATE_COUNTS.items() for _ in range(n)]
    rng.shuffle(states)
    return [_plan_one(number, state, rng) for number, state in enumerate(states, start=1)]


def _plan_one(number: int, state: str, rng: random.Random) -> DemoCase:
    escalated = state in ("escalated", "outcome", "closed")
    outcome = rng.choice(OUTCOMES) if state in ("outcome", "closed") else ""
    answered = outcome not in ("", "no_response") or (state == "escalated" and rng.random() < 0.4)
    return DemoCase(
        number=number,
        language=LANGUAGES[number % 3],
        violation_type=rng.choice(list(STORIES)),
        platform=rng.choice(PLATFORMS),
        perpetrator=rng.choice(PERPETRATORS),
        affected_party=rng.choice(AFFECTED),
        state=state,
        days_ago=rng.randrange(45, 360) if escalated else rng.randrange(1, 360),
        outcome=outcome,
        answer_days=rng.randrange(1, 30) if escalated and answered else None,
        public_summary=state in ("verified", "escalated", "outcome", "closed")
        and rng.random() < 0.6,
        wants_contact=rng.random() < 0.5,
    )


# --- writing the plan through the actions -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Staff:
    documenter: Any
    verifier: Any


def write_cases(plan: list[DemoCase], staff: Staff, now: datetime) -> list[Any]:
    """File and work on every planned case, oldest first; returns the cases."""
    originals: dict[str, Any] = {}
    written = []
    for planned in sorted(plan, key=lambda p: -p.days_ago):
        case = _file(planned, now)
        case = _work_on(case, planned, staff, originals, now)
        if planned.state not in ENDED:
            originals.setdefault(planned.violation_type, case)
        written.append(case)
    return written


def _term(kind: str, key: str) -> Any:
    from marsad.web.cases.models import Term

    return Term.objects.filter(kind=kind, key=key).first()


def _file(planned: DemoCase, now: datetime) -> Any:
    from marsad.web.cases.actions import NewReport, submit_report
    from marsad.web.cases.models import Case

    received = now - timedelta(days=planned.days_ago, hours=planned.number % 24)
    report = NewReport(
        violation_type=_term("violation_type", planned.violation_type),
        platform=_term("platform", planned.platform),
        description=_story(planned.violation_type, planned.language),
        occurred_on=(received - timedelta(days=2)).date(),
        links=f"https://{planned.platform}.example/demo/{planned.number}",
        language=planned.language,
        location=LOCATIONS[planned.number % len(LOCATIONS)],
        wants_contact=planned.wants_contact,
        contact_method="signal" if planned.wants_contact else "",
        contact=f"+000 00 000 {planned.number:04d}" if planned.wants_contact else "",
        reporter_name=REPORTER[planned.language].format(n=planned.number),
        consent=True,
    )
    case = submit_report(report, DEMO_PASSPHRASE)
    Case.objects.filter(pk=case.pk).update(received_at=received)  # backdated for the dashboard
    case.received_at = received
    return case


def _work_on(
    case: Any, planned: DemoCase, staff: Staff, originals: dict[str, Any], now: datetime
) -> Any:
    from marsad.web.cases import actions
    from marsad.web.cases.states import State

    state = planned.state
    if state == "withdrawn":
        return actions.reporter_withdraw(case)
    if state == "duplicate" and originals:
        original = originals.get(planned.violation_type) or next(iter(originals.values()))
        return actions.merge_duplicate(case, original, staff.documenter, "same incident")
    if state in ("rejected", "duplicate"):  # a duplicate with no original yet is rejected
        return actions.transition(case, State.REJECTED, staff.documenter, "outside our mandate")
    if state == "received":
        return case
    case = actions.transition(case, State.TRIAGED, staff.documenter)
    _classify(case, planned, staff)
    if state == "triaged":
        return case
    actions.add_staff_note(case, "Screenshots checked against the link.", staff.documenter)
    case = actions.transition(case, State.DOCUMENTED, staff.documenter)
    if state == "documented":
        return case
    return _verify_and_escalate(case, planned, staff, now)


def _classify(case: Any, planned: DemoCase, staff: Staff) -> None:
    from marsad.web.cases import actions

    actions.classify_case(
        case,
        staff.documenter,
        perpetrator=_term("perpetrator", planned.perpetrator),
        affected_party=_term("affected_party", planned.affected_party),
    )


def _verify_and_escalate(case: Any, planned: DemoCase, staff: Staff, now: datetime) -> Any:
    from marsad.web.cases import actions
    from marsad.web.cases.models import Case
    from marsad.web.cases.states import State

    reason = "Confirmed with the account's owner and two witnesses."
    case = actions.transition(case, State.VERIFIED, staff.verifier, reason)
    verified = case.received_at + timedelta(days=3)
    Case.objects.filter(pk=case.pk).update(verified_at=verified)  # backdated with the report
    if planned.public_summary:
        actions.set_public_summary(case, _summary(case, planned.language), staff.verifier)
    if planned.state == "verified":
        return case
    escalation = _escalate(case, planned, staff, verified.date())
    if planned.state == "escalated":
        if planned.answer_days is not None:  # the platform answered, without a decision yet
            _reply(escalation, planned, staff, now.date())
        return Case.objects.get(pk=case.pk)
    _reply(escalation, planned, staff, now.date())
    case = actions.transition(Case.objects.get(pk=case.pk), State.OUTCOME, staff.verifier)
    if planned.state == "closed":
        case = actions.transition(case, State.CLOSED, staff.verifier)
    return case


def _summary(case: Any, language: str) -> str:
    platform = case.platform.name(language) if case.platform else ""
    return SUMMARIES[language].format(type=case.violation_type.name(language), platform=platform)


def _escalate(case: Any, planned: DemoCase, staff: Staff, verified_on: date) -> Any:
    from marsad.web.cases import actions

    channel = ("trusted_partner", "web_form", "email")[planned.number % 3]
    reference = f"{planned.platform[:2].upper()}-{70000 + planned.number * 37}"
    sent = actions.EscalationInput(
        case.platform, channel, verified_on + timedelta(days=1), reference
    )
    return actions.record_escalation(case, sent, staff.verifier)


def _reply(escalation: Any, planned: DemoCase, staff: Staff, today: date) -> None:
    from marsad.web.cases import actions

    replied_on = None
    if planned.answer_days is not None:
        replied_on = min(escalation.sent_on + timedelta(days=planned.answer_days), today)
    decided = planned.state != "escalated"
    reply = "We reviewed the content and took action." if decided else "We are looking into it."
    actions.record_reply(
        escalation,
        staff.verifier,
        reply="" if replied_on is None else reply,
        replied_on=replied_on,
        outcome=(planned.outcome or "no_response") if decided else "",
    )


# --- logins and the whole demo -------------------------------------------------------------------


def demo_logins() -> dict[str, tuple[str, str]]:
    """persona -> (username, password) for this run: new random passwords every time."""
    return {p: (f"demo-{p}", secrets.token_urlsafe(12)) for p in PERSONAS}


def make_logins(logins: dict[str, tuple[str, str]]) -> dict[str, Any]:
    from marsad.web.cli import create_staff

    return {p: create_staff(u, p, pw, replace=True) for p, (u, pw) in logins.items()}


@dataclass(frozen=True, slots=True)
class DemoResult:
    created: int
    kept: int
    states: dict[str, int]
    escalations: int
    logins: dict[str, tuple[str, str]]
    sample_receipt: str
    two_factor: bool = True  # web.require_2fa of the project


def build_demo(seed: int = SEED, now: datetime | None = None) -> DemoResult:
    """Demo logins (always, with new passwords) and demo cases (only into an empty database)."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from marsad.web.cases.models import Case, Escalation

    logins = demo_logins()
    users = make_logins(logins)
    kept = Case.objects.count()
    created = 0
    if kept == 0:
        staff = Staff(users["documenter"], users["verifier"])
        with transaction.atomic():  # one commit for the lot: quick on SQLite
            created = len(write_cases(plan_cases(seed), staff, now or timezone.now()))
    states = Counter(Case.objects.values_list("state", flat=True))
    sample = Case.objects.filter(state="escalated").order_by("id").first()
    return DemoResult(
        created=created,
        kept=kept,
        states=dict(sorted(states.items())),
        escalations=Escalation.objects.count(),
        logins=logins,
        sample_receipt=sample.receipt_code if sample else "",
        two_factor=bool(settings.MARSAD_REQUIRE_2FA),
    )


TWO_FACTOR_OFF = (
    "Two-factor sign-in is off in this demo project (web.require_2fa = false in its "
    "marsad.toml): the password alone logs in, and every staff page warns about it."
)
TWO_FACTOR_ON = (
    "Two-factor sign-in is on: at its first login each demo user sets up an authenticator "
    "app from the QR code the page shows, then enters the app's code."
)


def describe(result: DemoResult) -> list[str]:
    """The lines `marsad demo` prints about the web part."""
    verb = f"created {result.created}" if result.created else f"kept the {result.kept} existing"
    states = ", ".join(f"{state} {n}" for state, n in result.states.items())
    lines = [
        f"Demo cases: {verb} ({states}); {result.escalations} escalations",
        "Demo logins at /staff/login/ (new passwords on every run, shown only now):",
        *(f"  {p:<11} {user:<16} {pw}" for p, (user, pw) in result.logins.items()),
        TWO_FACTOR_ON if result.two_factor else TWO_FACTOR_OFF,
    ]
    if result.sample_receipt and result.created:
        lines.append(
            f"A reporter's view at /report/status/: receipt code {result.sample_receipt}, "
            f"passphrase '{DEMO_PASSPHRASE}'"
        )
    return lines


def main(argv: list[str]) -> int:
    from marsad.config import load_settings
    from marsad.web.boot import migrate_database, setup_django

    if len(argv) != 1:
        print("usage: python -m marsad.web.demo PROJECT_DIR", file=sys.stderr)
        return 2
    setup_django(load_settings(Path(argv[0])))
    migrate_database()
    for line in describe(build_demo()):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
