"""The Arabic and Hebrew translations of the web app are complete, compiled and current.

(a) every message has a non-empty Arabic and Hebrew translation, none fuzzy; (b) the compiled
.mo files hold exactly what the .po files say; (c) every translatable string in marsad/web's code
and templates is in the .po files (makemessages is run on a copy and the message sets compared).
To update: `cd marsad/web && django-admin makemessages -l ar -l he --no-obsolete --no-location
--no-wrap`, translate, then `django-admin compilemessages` (docs/web.md).
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import marsad.web

WEB = Path(marsad.web.__file__).resolve().parent
LANGS = ["ar", "he"]
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?) "(.*)"$')


@dataclass
class Message:
    msgid: str = ""
    context: str | None = None
    plural: str | None = None
    strings: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0

    @property
    def key(self) -> str:
        return self.msgid if self.context is None else f"{self.context}\x04{self.msgid}"


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), text)


def parse_po(path: Path) -> list[Message]:
    """The messages of a .po file (entries are separated by blank lines; obsolete `#~` entries
    are left out), each with the line it starts on."""
    messages: list[Message] = []
    block: list[tuple[int, str]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, raw in enumerate([*lines, ""], start=1):
        if raw.strip():
            block.append((number, raw.strip()))
        elif block:
            message = _message(path, block)
            messages += [message] if message is not None else []
            block = []
    return messages


def _message(path: Path, block: list[tuple[int, str]]) -> Message | None:
    message, part = Message(line=block[0][0]), ""
    for number, line in block:
        if line.startswith("#"):
            message.fuzzy |= line.startswith("#,") and "fuzzy" in line
        elif found := LINE.match(line):
            keyword, index, text = found.groups()
            part = keyword if index is None else f"msgstr[{index}]"
            _append(message, part, _unquote(text))
        elif line.startswith('"') and line.endswith('"') and part:
            _append(message, part, _unquote(line[1:-1]))
        else:
            raise ValueError(f"{path}:{number}: cannot read {line!r}")
    return message if part else None


def _append(message: Message, part: str, text: str) -> None:
    if part == "msgctxt":
        message.context = (message.context or "") + text
    elif part == "msgid":
        message.msgid += text
    elif part == "msgid_plural":
        message.plural = (message.plural or "") + text
    else:
        index = int(part[7:-1]) if part.startswith("msgstr[") else 0
        message.strings[index] = message.strings.get(index, "") + text


def po_path(lang: str, base: Path = WEB) -> Path:
    return base / "locale" / lang / "LC_MESSAGES" / "django.po"


def plural_count(header: Message) -> int:
    found = re.search(r"nplurals=(\d+)", header.strings.get(0, ""))
    assert found is not None, "the header has no Plural-Forms"
    return int(found.group(1))


SAMPLE = r"""# header comment
msgid ""
msgstr ""
"Language: ar\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#, fuzzy, python-format
msgid "Hello %(name)s"
msgstr "مرحبا %(name)s"

msgctxt "button"
msgid ""
"Send the "
"\"report\""
msgstr ""

msgid "%(n)s case"
msgid_plural "%(n)s cases"
msgstr[0] "حالة"
msgstr[1] ""

#~ msgid "Gone"
#~ msgstr "ذهب"
"""


def test_the_po_reader_sees_flags_contexts_plurals_and_obsolete_entries(tmp_path: Path) -> None:
    path = tmp_path / "django.po"
    path.write_text(SAMPLE, encoding="utf-8")
    header, hello, send, cases = parse_po(path)
    assert header.msgid == "" and "nplurals=2" in header.strings[0] and not header.fuzzy
    assert (hello.msgid, hello.fuzzy, hello.line) == ("Hello %(name)s", True, 7)
    assert (send.key, send.strings, send.fuzzy) == ('button\x04Send the "report"', {0: ""}, False)
    assert (cases.plural, cases.strings) == ("%(n)s cases", {0: "حالة", 1: ""})


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_and_none_is_fuzzy(lang: str) -> None:
    path = po_path(lang)
    header, *messages = parse_po(path)
    assert header.msgid == "" and f"Language: {lang}\\n" in header.strings[0].replace("\n", "\\n")
    assert not header.fuzzy, f"{path}: the header is marked fuzzy"
    assert len(messages) > 100
    forms = plural_count(header)
    problems = []
    for message in messages:
        wanted = forms if message.plural is not None else 1
        texts = [message.strings.get(i, "") for i in range(wanted)]
        if message.fuzzy:
            problems.append(f"{path}:{message.line}: fuzzy: {message.msgid!r}")
        if not all(text.strip() for text in texts):
            problems.append(f"{path}:{message.line}: not translated: {message.msgid!r}")
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_are_kept_in_every_translation(lang: str) -> None:
    path = po_path(lang)
    problems = []
    for message in parse_po(path)[1:]:
        wanted = set(re.findall(r"%\(\w+\)[sd]", message.msgid + (message.plural or "")))
        for text in message.strings.values():
            used = set(re.findall(r"%\(\w+\)[sd]", text))
            if used - wanted or (message.plural is None and used != wanted):
                problems.append(f"{path}:{message.line}: {message.msgid!r} -> {text!r}")
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_compiled_catalogue_matches_the_po_file(lang: str) -> None:
    path = po_path(lang)
    with path.with_suffix(".mo").open("rb") as stream:
        compiled = dict(gettext.GNUTranslations(stream)._catalog)  # type: ignore[attr-defined]
    compiled.pop("", None)  # the header (msgfmt leaves out its creation date)
    expected: dict[object, str] = {}
    for message in parse_po(path)[1:]:
        if message.plural is None:
            expected[message.key] = message.strings[0]
        else:
            expected.update({(message.key, i): s for i, s in message.strings.items()})
    assert compiled == expected, f"{path.with_suffix('.mo')} is out of date: run compilemessages"


def _gettext_tools() -> bool:
    return all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msguniq", "msgattrib"))


@pytest.mark.slow
@pytest.mark.skipif(
    not _gettext_tools(),
    reason="GNU gettext (xgettext, msgmerge) is not installed: make system-packages installs it",
)
def test_every_translatable_string_of_the_web_app_is_in_the_po_files(tmp_path: Path) -> None:
    copy = tmp_path / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "django", "makemessages", *[f"-l{lang}" for lang in LANGS]]
    command += ["--no-obsolete", "--no-location", "--no-wrap"]
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    for lang in LANGS:
        ours = {m.key for m in parse_po(po_path(lang))}
        found = {m.key for m in parse_po(po_path(lang, copy))}
        assert sorted(found - ours) == [], f"not in {po_path(lang)}: run makemessages"
        assert sorted(ours - found) == [], f"no longer used, still in {po_path(lang)}"
