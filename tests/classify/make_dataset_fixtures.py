"""The dataset fixtures: tiny files in each dataset's exact layout, written when tests start.

Tiny files in each dataset's exact layout (folders, file names, columns, header or none,
quoting, sheet of a workbook), as the real ones lie under `../shared/data/`, written by
`fixture_data()` into a temporary folder (never committed: only code is, so no file in the
repository bears a dataset's name). Every text is invented for the tests. Between them the files use
every published value of `marsad/classify/label_map.toml`, a few rows the loaders must skip,
and test rows that recur, spelled differently, in training files.
"""

from __future__ import annotations

import atexit
import csv
import shutil
import tempfile
from functools import cache
from pathlib import Path

import openpyxl

Cell = str | int | None

OSACT_HEADER = ["Id", "Tweet", "Offensive", "Hate", "Vulgar", "Violence"]
OSACT_TRAIN: list[list[Cell]] = [
    [1, "@USER صباح الخير يا جماعة 🌞", "NOT_OFF", "NOT_HS", "NOT_VLG", "NOT_VIO"],
    [2, "@USER انت غبي وما تفهم شي 😂", "OFF", "NOT_HS", "NOT_VLG", "NOT_VIO"],
    [3, "هالشعب كله حرامية ما منهم فايدة", "OFF", "HS1", "NOT_VLG", "NOT_VIO"],
    [4, "اتباع هالدين كلهم متخلفين", "OFF", "HS2", "NOT_VLG", "NOT_VIO"],
    [5, "كل اللي يأيدون هالحزب خونة", "OFF", "HS3", "NOT_VLG", "NOT_VIO"],
    [6, "يا معاق روح اقعد في بيتك", "OFF", "HS4", "NOT_VLG", "NOT_VIO"],
    [7, "الفقراء هذولي ما يستاهلون شي", "OFF", "HS5", "NOT_VLG", "NOT_VIO"],
    [8, "الحريم مكانهم المطبخ وبس", "OFF", "HS6", "NOT_VLG", "NOT_VIO"],
    [9, "كلام وسخ وقليل ادب<LF>يا قليل الحيا", "OFF", "NOT_HS", "VLG", "NOT_VIO"],
    [10, "والله لاذبحك اذا شفتك URL", "OFF", "HS1", "NOT_VLG", "VIO"],
    [11, "", "NOT_OFF", "NOT_HS", "NOT_VLG", "NOT_VIO"],
    [12, "مبروك للفريق،\nفوز مستحق 👏", "NOT_OFF", "NOT_HS", "NOT_VLG", "NOT_VIO"],
    [13, "@USER الجو اليوم حلو مرة!! URL", "NOT_OFF", "NOT_HS", "NOT_VLG", "NOT_VIO"],
]
OSACT_DEV: list[list[Cell]] = [
    [8888, "@USER الجو اليوم حلو مرة 😍 URL", "NOT_OFF", "NOT_HS", "NOT_VLG", "NOT_VIO"],
    [8889, "@USER يا حمار 🐴", "OFF", "NOT_HS", "NOT_VLG", "NOT_VIO"],
    [8890, "شكرا على المساعدة", "NOT_OFF", "NOT_HS", "NOT_VLG", "NOT_VIO"],
]

HEBREW_TRAIN = [
    [" קונספירציה של אנשים טובים", "Positive"],
    ["אתה אידיוט מושלם, תסתום כבר", "Negative"],
    ["RT: בוקר טוב לכל העוקבים, שבת שלום", "Positive"],
]
HEBREW_VAL = [["איזה מטומטם, אין לו מושג", "Negative"], ["תודה על העזרה אתמול", "Positive"]]
HEBREW_TEST = [
    ["RT: מחר יש הפגנה מול הכנסת בשעה 8…", "Positive"],
    [" כל השמאלנים האלה בוגדים ומטומטמים", "Negative"],
]
ALLDATA_HEADER = ["TweetNo", "Label", "Target", "Topic", "Phrase", "TweetText"]
ALLDATA: list[list[Cell]] = [
    [2501, "NOT", None, None, None, "@dana_k בוקר טוב! שבת שלום 🌸"],
    [2502, "Hate", "Arab", "Racisim", "מחבלים", "כל הערבים מחבלים, אין מה לדבר איתם"],
    [2503, "hate", "UNT", "hatespeech", "חלאות", "החלאות האלה לא בני אדם"],
    [2504, "Violence", "police", "violence", "לשרוף", "צריך לשרוף להם את הבתים"],
    [2505, "violence", "N/A", "Violence", "לירות", "מגיע להם כדור בראש"],
    [2506, "Abusive", "UNT", "insulting", "מטומטם", "@yossi12 אתה מטומטם רשמית"],
    [2507, "racism", "Arab", "Racisim", "ערבים", "ערבים לא צריכים לגור פה"],
    [2508, "Pornographic", None, "offensive", None, "תמונות מלוכלכות, שלחו בפרטי"],
    [2509, "Porographic", None, "offensive", None, "עוד תמונות מלוכלכות בערוץ"],
    [2510, "Hate, violence", "Jews", "Terroresim", None, "את כל הבוגדים האלה צריך לחסל"],
    [2511, None, None, None, None, "ציוץ שאף אחד לא תייג"],
    [2512, "NOT", None, None, None, None],
    [2513, "NOT", None, None, None, "RT @noa_news: מחר יש הפגנה מול הכנסת בשעה 8… https://t.co/x1"],
    ["not clear", "NOT", None, None, None, "תודה רבה"],
]

OLAH_HEADER = ["text", "label"]
OLAH_TRAIN: list[list[Cell]] = [
    ["תודה רבה לכולם ושבוע מבורך", 0],
    ["אתה סמרטוט עלוב וכישלון", 1],
    [None, 0],
    ["שנה טובה ומתוקה לכל המשפחה", 0],
]
OLAH_TEST: list[list[Cell]] = [["עלוב ומושחת, לך הביתה", 1], ["בהצלחה בבחירות", 0]]
OLAH_ALL: list[list[Cell]] = [["עלוב ומושחת לך הביתה!!", 1], ["יהיה זכרו ברוך", 0]]

OLID_TRAIN = [
    ["id", "tweet", "subtask_a", "subtask_b", "subtask_c"],
    ["86426", "@USER She should ask a few neighbours what they think.", "NOT", "NULL", "NULL"],
    ["90194", "@USER @USER Go home you're drunk!!! #Party URL", "OFF", "TIN", "IND"],
    ["62688", '"@USER Someone should\'ve "fixed"" this mess, idiots. 😂"""', "OFF", "UNT", "NULL"],
    ["43605", "@USER Those people are all clowns and liars", "OFF", "TIN", "GRP"],
    ["97670", "@USER What a stupid thing to say", "OFF", "TIN", "OTH"],
    ["16820", "Lovely weather at the beach today URL", "NOT", "NULL", "NULL"],
]
OLID_TEST = [
    ["id", "tweet"],
    ["15923", "#Vote Everyone who disagrees is a moron!!! URL"],
    ["27014", "Lovely weather at the beach, today!! URL"],
    ["30530", "@USER See you at the library tomorrow"],
]
OLID_TEST_LABELS = [["15923", "OFF"], ["27014", "NOT"], ["30530", "NOT"]]

DAVIDSON = [
    ["", "count", "hate_speech", "offensive_language", "neither", "class", "tweet"],
    ["0", "3", "0", "0", "3", "2", "!!! RT @sunny_days: Water the plants, then rest."],
    ["1", "3", "0", "3", "0", "1", "RT @bob_k: you are a lazy fool, go away"],
    ["2", "3", "2", "1", "0", "0", "those invented people are vermin and should leave"],
    ["3", "3", "0", "0", "3", "2", "a tweet, with a comma\nand a line break"],
]

MLMA_HEADER = [
    "HITId",
    "tweet",
    "sentiment",
    "directness",
    "annotator_sentiment",
    "target",
    "group",
]
MLMA_AR = [
    [
        "1",
        "هؤلاء الغرباء ما لهم مكان هنا @user",
        "hateful_normal",
        "direct",
        "anger",
        "origin",
        "arabs",
    ],
    ["2", "يا ولد الكلب منك لله @url", "offensive", "indirect", "anger", "other", "other"],
    ["3", "صباح الخير يا جماعة", "normal", "indirect", "indifference", "other", "individual"],
    [
        "4",
        "كل اتباع هذا الدين ارهابيين",
        "abusive_hateful",
        "direct",
        "disgust",
        "religion",
        "muslims",
    ],
]
MLMA_EN = [
    [
        "1",
        "@user you are such a clown",
        "offensive_disrespectful",
        "direct",
        "anger",
        "other",
        "individual",
    ],
    [
        "2",
        "they will take over our town, be afraid",
        "fearful",
        "indirect",
        "fear",
        "origin",
        "immigrants",
    ],
    [
        "3",
        "invented slur against gay people @url",
        "hateful",
        "indirect",
        "disgust",
        "sexual_orientation",
        "gay",
    ],
    [
        "4",
        "women should not be allowed to speak",
        "offensive_hateful",
        "direct",
        "anger",
        "gender",
        "women",
    ],
    [
        "5",
        "calling someone a retard is cruel",
        "abusive_normal",
        "indirect",
        "sadness",
        "disability",
        "special_needs",
    ],
    [
        "6",
        "nice match yesterday",
        "normal",
        "indirect",
        "indifference",
        "disability",
        "special_needs",
    ],
    ["7", "", "normal", "indirect", "indifference", "other", "other"],
]


def write_csv(path: Path, rows: list[list[Cell]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def write_tsv(path: Path, rows: list[list[str]]) -> None:
    """Tab-separated with no quoting at all, as OLID's files are."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")


def write_xlsx(path: Path, rows: list[list[Cell]], sheet: str = "Sheet1") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    page = book.active
    assert page is not None
    page.title = sheet
    for row in rows:
        page.append(row)
    book.save(path)


@cache
def fixture_data() -> Path:
    """The folder of dataset fixtures, written once per test run (removed at exit)."""
    root = Path(tempfile.mkdtemp(prefix="marsad-dataset-fixtures-"))
    atexit.register(shutil.rmtree, root, True)
    write_all(root / "data")
    return root / "data"


def write_all(root: Path) -> None:
    write_csv(root / "osact2022" / "train_data2022.csv", [OSACT_HEADER, *OSACT_TRAIN])
    write_csv(root / "osact2022" / "dev_data2022.csv", [OSACT_HEADER, *OSACT_DEV])
    hebrew = root / "offensive-hebrew"
    for name, rows in (("train", HEBREW_TRAIN), ("val", HEBREW_VAL), ("test", HEBREW_TEST)):
        write_csv(hebrew / f"{name}.csv", [["text", "label"], *rows])
    write_xlsx(hebrew / "AllData_OffensiveHebrew.xlsx", [ALLDATA_HEADER, *ALLDATA], "Sheet16")
    olah = root / "olah5000"
    write_xlsx(olah / "train_Heb.xlsx", [OLAH_HEADER, *OLAH_TRAIN])
    write_xlsx(olah / "test_Heb.xlsx", [OLAH_HEADER, *OLAH_TEST])
    write_xlsx(olah / "HebrewData.xlsx", [OLAH_HEADER, *OLAH_ALL])
    olid = root / "olid"
    write_tsv(olid / "olid-training-v1.0.tsv", OLID_TRAIN)
    write_tsv(olid / "testset-levela.tsv", OLID_TEST)
    write_csv(olid / "labels-levela.csv", list(OLID_TEST_LABELS))
    write_csv(root / "davidson" / "labeled_data.csv", list(DAVIDSON))
    write_csv(root / "mlma" / "ar_dataset.csv", [MLMA_HEADER, *MLMA_AR])
    write_csv(root / "mlma" / "en_dataset.csv", [MLMA_HEADER, *MLMA_EN])
