"""Datelines, table-driven: real agency and outlet formats, and traps that must stay."""

from __future__ import annotations

import pytest

from newsclean.cleaners.datelines import find_dateline, split_dateline
from newsclean.schemas.records import Dateline

D = Dateline

# (paragraph, expected dateline, expected rest of the paragraph)
CUT = [
    (
        "ERBIL (Kurdistan24) – In a significant diplomatic move aimed at breathing new life",
        D("ERBIL (Kurdistan24) –", "ERBIL", "Kurdistan24", None),
        "In a significant diplomatic move aimed at breathing new life",
    ),
    (
        "WASHINGTON (AP) — The Senate voted on Tuesday to confirm the nominee.",
        D("WASHINGTON (AP) —", "WASHINGTON", "AP", None),
        "The Senate voted on Tuesday to confirm the nominee.",
    ),
    (
        "LONDON, Nov 6 (Reuters) - Oil prices rose on Thursday after a drawdown.",
        D("LONDON, Nov 6 (Reuters) -", "LONDON", "Reuters", "Nov 6"),
        "Oil prices rose on Thursday after a drawdown.",
    ),
    (
        "BEIJING, Nov. 7 (Xinhua) -- China on Friday signed a rail freight agreement.",
        D("BEIJING, Nov. 7 (Xinhua) --", "BEIJING", "Xinhua", "Nov. 7"),
        "China on Friday signed a rail freight agreement.",
    ),
    (
        "PARIS (AFP) - France will ban the sale of new petrol cars by 2040.",
        D("PARIS (AFP) -", "PARIS", "AFP", None),
        "France will ban the sale of new petrol cars by 2040.",
    ),
    (
        "BERLIN (dpa) - Die Bundesregierung hat am Montag neue Regeln beschlossen.",
        D("BERLIN (dpa) -", "BERLIN", "dpa", None),
        "Die Bundesregierung hat am Montag neue Regeln beschlossen.",
    ),
    (
        "Berlin (dpa) - Der Berliner Senat will neue Busspuren einrichten.",
        D("Berlin (dpa) -", "Berlin", "dpa", None),
        "Der Berliner Senat will neue Busspuren einrichten.",
    ),
    (
        "New Delhi [India], November 6 (ANI): The Indian Army on Thursday said that",
        D("New Delhi [India], November 6 (ANI):", "New Delhi, India", "ANI", "November 6"),
        "The Indian Army on Thursday said that",
    ),
    (
        "ERBIL, Kurdistan Region — Erbil International Airport opened a second terminal.",
        D("ERBIL, Kurdistan Region —", "ERBIL, Kurdistan Region", None, None),
        "Erbil International Airport opened a second terminal.",
    ),
    (
        "HAYWARD, Calif. (AP) — A police officer was killed during a traffic stop.",
        D("HAYWARD, Calif. (AP) —", "HAYWARD, Calif.", "AP", None),
        "A police officer was killed during a traffic stop.",
    ),
    (
        "NEW YORK (Reuters) - The Federal Reserve said on Monday that it would",
        D("NEW YORK (Reuters) -", "NEW YORK", "Reuters", None),
        "The Federal Reserve said on Monday that it would",
    ),
    (
        "WASHINGTON — The House passed the spending bill late on Friday night.",
        D("WASHINGTON —", "WASHINGTON", None, None),
        "The House passed the spending bill late on Friday night.",
    ),
    (
        "MADRID, 6 nov (EFE).- El Gobierno ha aprobado hoy el proyecto de ley.",
        D("MADRID, 6 nov (EFE).-", "MADRID", "EFE", "6 nov"),
        "El Gobierno ha aprobado hoy el proyecto de ley.",
    ),
    (
        "Madrid, 6 nov (EFE).- El Gobierno ha aprobado hoy el proyecto de ley.",
        D("Madrid, 6 nov (EFE).-", "Madrid", "EFE", "6 nov"),
        "El Gobierno ha aprobado hoy el proyecto de ley.",
    ),
    (
        "CARACAS /EFE/.- El presidente de Venezuela dijo este lunes que",
        D("CARACAS /EFE/.-", "CARACAS", "EFE", None),
        "El presidente de Venezuela dijo este lunes que",
    ),
    (
        "МОСКВА, 6 ноя — РИА Новости. Президент России Владимир Путин провел встречу",
        D("МОСКВА, 6 ноя — РИА Новости.", "МОСКВА", "РИА Новости", "6 ноя"),
        "Президент России Владимир Путин провел встречу",
    ),
    (
        "КИЇВ, 6 листопада (Укрінформ) — Президент України провів зустріч з послами.",
        D("КИЇВ, 6 листопада (Укрінформ) —", "КИЇВ", "Укрінформ", "6 листопада"),
        "Президент України провів зустріч з послами.",
    ),
    (
        "ROMA, 6 novembre (ANSA) - Il governo ha approvato la manovra economica.",
        D("ROMA, 6 novembre (ANSA) -", "ROMA", "ANSA", "6 novembre"),
        "Il governo ha approvato la manovra economica.",
    ),
    (
        "Rome (ANSA) - Il governo ha approvato la manovra economica in serata.",
        D("Rome (ANSA) -", "Rome", "ANSA", None),
        "Il governo ha approvato la manovra economica in serata.",
    ),
    (
        "LISBOA, 6 nov (Lusa) – O Governo aprovou hoje em Conselho de Ministros",
        D("LISBOA, 6 nov (Lusa) –", "LISBOA", "Lusa", "6 nov"),
        "O Governo aprovou hoje em Conselho de Ministros",
    ),
    (
        "TOKYO, Nov 7 (Reuters) - Japan's Nikkei share average rose 1% on Friday.",
        D("TOKYO, Nov 7 (Reuters) -", "TOKYO", "Reuters", "Nov 7"),
        "Japan's Nikkei share average rose 1% on Friday.",
    ),
    (
        "SAN FRANCISCO, Nov 6, 2025 (Reuters) - Tech stocks fell on Thursday as investors",
        D("SAN FRANCISCO, Nov 6, 2025 (Reuters) -", "SAN FRANCISCO", "Reuters", "Nov 6, 2025"),
        "Tech stocks fell on Thursday as investors",
    ),
    (
        "THE HAGUE (AP) — The International Court of Justice on Monday ordered",
        D("THE HAGUE (AP) —", "THE HAGUE", "AP", None),
        "The International Court of Justice on Monday ordered",
    ),
    (
        "ISTANBUL (AA) _ Turkish officials said on Tuesday that talks would resume.",
        D("ISTANBUL (AA) _", "ISTANBUL", "AA", None),
        "Turkish officials said on Tuesday that talks would resume.",
    ),
    # a bare place and a colon before a paragraph of prose (Indian, East African papers)
    (
        "KIEV: Ukraine's president said on Sunday that talks with Russia over gas prices "
        "would resume in Moscow next week.",
        D("KIEV:", "KIEV", None, None),
        "Ukraine's president said on Sunday that talks with Russia over gas prices would "
        "resume in Moscow next week.",
    ),
    (
        "LINDI: IT's around 8:00pm but Aisha Mohamed is still busy with her business, "
        "selling fried fish to the last customers of the day.",
        D("LINDI:", "LINDI", None, None),
        "IT's around 8:00pm but Aisha Mohamed is still busy with her business, selling "
        "fried fish to the last customers of the day.",
    ),
    (
        'GAZA CITY (AP) — "We have nothing left," said a father of five on Monday.',
        D("GAZA CITY (AP) —", "GAZA CITY", "AP", None),
        '"We have nothing left," said a father of five on Monday.',
    ),
    (
        "SEOUL, Nov 7 (Yonhap) -- North Korea fired a ballistic missile on Friday.",
        D("SEOUL, Nov 7 (Yonhap) --", "SEOUL", "Yonhap", "Nov 7"),
        "North Korea fired a ballistic missile on Friday.",
    ),
    (
        "ANKARA, 7 Kasım 2025 (AA) - Dışişleri Bakanı bugün açıklama yaptı ve",
        D("ANKARA, 7 Kasım 2025 (AA) -", "ANKARA", "AA", "7 Kasım 2025"),
        "Dışişleri Bakanı bugün açıklama yaptı ve",
    ),
    # an agency's own copy: the source and no place
    (
        "(CNN) -- Former President Bill Clinton said Sunday that the campaign was over.",
        D("(CNN) --", None, "CNN", None),
        "Former President Bill Clinton said Sunday that the campaign was over.",
    ),
    (
        "(Reuters) - Oil prices rose on Thursday after a drawdown in U.S. inventories.",
        D("(Reuters) -", None, "Reuters", None),
        "Oil prices rose on Thursday after a drawdown in U.S. inventories.",
    ),
]

# Paragraphs that start like a dateline and are not one: kept whole.
KEPT = [
    # a bare word and a colon before a short line: a label or a headline
    "KABUL: Taliban officials said on Sunday the border crossing would reopen.",
    "KING: Trump, O'Reilly and the normalization of sexual assault",
    # two or three words before the colon: a name or a label as often as a place
    "JESSICA LIVINGSTON: The most important thing an early-stage startup should know "
    "about marketing is rather counterintuitive, she wrote.",
    "WARNING GRAPHIC DETAIL: Brave Marina Lacerda has described the horrific abuse she "
    "suffered at the hands of the billionaire.",
    # labels before a paragraph of prose
    "EXCLUSIVE: Vice President Mike Pence told Fox News on Wednesday that the plan "
    "would pass the Senate before the end of the month.",
    "PUBLISHED: March 21, 2017 at 9:41 pm | UPDATED: March 21, 2017 at 9:51 pm by the "
    "news desk of the paper in the city",
    "WARNING: The following report contains images and descriptions that some readers "
    "may find disturbing, the editors said.",
    "WHO said on Monday that cases of measles rose sharply in Europe.",
    "NEW YORK — a city that never sleeps — was quiet on Sunday morning.",
    "UPDATE: The company said it would cut 500 jobs by the end of the year.",
    "BREAKING — The president has resigned, officials said on Monday night.",
    "NATO – Allies agreed on Tuesday to raise defence spending.",
    "Berlin – Die Stadt ist schön und im Sommer voller Touristen aus aller Welt.",
    "The announcement, as reported by The Associated Press, is largely symbolic.",
    "Officials in WASHINGTON (AP) said the vote would take place on Friday.",
    "WASHINGTON. The president spoke for an hour to a crowded room of supporters.",
    "EXCLUSIVE: Inside the deal that reshaped the industry for a decade.",
    "LONDON (Reuters) - Short.",
    "The Kremlin (TASS) - a long and winding story that starts in lower case.",
    "Kazakhstan will join the Abraham Accords, a symbolic move announced by President Trump.",
    "Paris (Reuters) - our correspondent reports from the scene of the fire.",
    "I — for one — welcome our new overlords, said the reporter on air.",
    "Q: What happens next? A: Nobody knows yet, the minister said.",
    # a source in parentheses without a dash, an unknown source, too little after it
    "(CNN) said on Sunday that the interview would air next week in full.",
    "(Editorial) - The council should think again about the new parking rules.",
    "(CNN) -- Short.",
    "(AP) — and then, in lower case, the sentence goes on for a while.",
]


@pytest.mark.parametrize("paragraph, dateline, rest", CUT)
def test_dateline_is_cut_and_parsed(paragraph, dateline, rest):
    found = split_dateline(paragraph)
    if dateline is None:
        assert found is None
    else:
        assert found == (dateline, rest)


@pytest.mark.parametrize("paragraph", KEPT)
def test_not_a_dateline_is_kept(paragraph):
    assert split_dateline(paragraph) is None


def test_only_the_first_paragraphs_are_candidates():
    lines = [
        "A standfirst that sums up the story in one sentence.",
        "Kazakh President Kassym-Jomart Tokayev. (AP)",
        "ERBIL (Kurdistan24) – In a significant diplomatic move aimed at new life",
        "WASHINGTON (AP) — A second dateline further down is not touched at all.",
    ]
    index, dateline, rest = find_dateline(lines)
    assert (index, dateline.raw, rest) == (
        2,
        "ERBIL (Kurdistan24) –",
        "In a significant diplomatic move aimed at new life",
    )
    late = [
        "Intro one.",
        "Intro two.",
        "Intro three.",
        "PARIS (AFP) - France will ban the sale of new cars.",
    ]
    assert find_dateline(late) is None


def test_a_transcripts_first_speaker_is_no_dateline():
    """A bare label and a colon is a place only where no other paragraph opens the same
    way: in a transcript every speaker does."""
    opening = (
        "HANNITY: Welcome back to the show, tonight we look at what the new report says "
        "about the border and the people who live there."
    )
    lines = [opening, "COLMES: Thank you, Sean, it is good to be here tonight.", "More."]
    assert find_dateline(lines) is None
    # the same opening in a story with no other labels: a place and a colon
    story = [opening.replace("HANNITY", "LAHORE"), "The report was published on Monday."]
    index, dateline, rest = find_dateline(story)
    assert (index, dateline.location, rest[:16]) == (0, "LAHORE", "Welcome back to ")


def test_a_dateline_after_the_storys_highlights():
    """A list of highlights, its label and the byline above the story are not its first
    paragraphs: the dateline after them is cut; a bare "NAME, Name:" there is not one."""
    lines = [
        "By Laura Smith-Spark, CNN",
        "STORY HIGHLIGHTS",
        "- Brigitte Bardot says she will request Russian citizenship",
        "- She has urged President Hollande to save the elephants",
        "- Her move comes on the heels of Gerard Depardieu's acceptance of a passport",
        "(CNN) -- Famed French actress Brigitte Bardot will request Russian nationality.",
    ]
    index, dateline, rest = find_dateline(lines)
    assert (index, dateline.raw, rest) == (
        5,
        "(CNN) --",
        "Famed French actress Brigitte Bardot will request Russian nationality.",
    )
    entries = [*lines[:5], "BRAUNGART, Richard: Exlibris for the collectors of Munich, 1920."]
    assert find_dateline(entries) is None
