"""Titles without the site name: table-driven, real shapes from news pages, with traps
that must stay as they are."""

from __future__ import annotations

import pytest

from newsclean.cleaners.titles import headline

CASES = [
    # (title, headings, url, site name) -> headline
    (
        (
            "Fresh warning from bin Laden - World",
            ["Fresh warning from bin Laden"],
            "https://www.theage.com.au/x",
            None,
        ),
        "Fresh warning from bin Laden",
    ),
    (
        ("Gulf states urge peace with Iran - CNN.com", [], "https://edition.cnn.com/x", None),
        "Gulf states urge peace with Iran",
    ),
    (
        (
            "KalingaTimes.com: Move over Orkut, here comes India's BigAdda",
            [],
            "http://www.kalingatimes.com/v",
            None,
        ),
        "Move over Orkut, here comes India's BigAdda",
    ),
    (
        (
            "toledoblade.com -- Steelers' Heinz turf is terrible, Taylor says",
            [],
            "http://toledoblade.com/a",
            None,
        ),
        "Steelers' Heinz turf is terrible, Taylor says",
    ),
    (
        (
            "Philippine president orders evacuations owing to typhoon_English_Xinhua",
            [],
            "http://news.xinhuanet.com/english/x",
            None,
        ),
        "Philippine president orders evacuations owing to typhoon",
    ),
    (
        (
            "Daily Star :: Celeb News :: Stars slam Arts Council grant cuts",
            [],
            "http://www.dailystar.co.uk/g",
            None,
        ),
        "Stars slam Arts Council grant cuts",
    ),
    (
        (
            "Bundestag beschließt neues Gesetz | tagesschau.de",
            [],
            "https://www.tagesschau.de/x",
            None,
        ),
        "Bundestag beschließt neues Gesetz",
    ),
    (
        (
            "Le gouvernement présente son budget » Le Monde",
            [],
            "https://www.lemonde.fr/x",
            "Le Monde",
        ),
        "Le gouvernement présente son budget",
    ),
    (
        ("El Gobierno aprueba la reforma — El País", [], "https://elpais.com/x", "El País"),
        "El Gobierno aprueba la reforma",
    ),
    (
        (
            "Prezydent podpisał ustawę - Wiadomości - Onet",
            [],
            "https://wiadomosci.onet.pl/x",
            "Onet Wiadomości",
        ),
        "Prezydent podpisał ustawę",
    ),
    # a heading inside the title is the headline, whatever is around it
    (
        (
            "Prem Redknapp on Portsmouth - Harry rubbishes slump theory - Setanta Sports",
            ["Harry rubbishes slump theory"],
            None,
            None,
        ),
        "Harry rubbishes slump theory",
    ),
]
TRAPS = [
    # separators inside a headline, with no site name to cut
    ("Ukraine: Russia launches new offensive - live updates", [], "https://www.example-news.org/x", None),
    ("Biden - Trump debate: what we learned", [], "https://www.bbc.co.uk/news/x", None),
    ("Soul Calibur IV turns into geek fest", [], "http://xboxer.tv/2008/x", None),
    # a heading too short to be the headline
    ("Weather warning issued for the weekend | Local News", ["News"], "https://www.weather.example/x", None),
    # no title at all
    (None, [], "https://example.org/", None),
]  # fmt: skip


@pytest.mark.parametrize("args, expected", CASES, ids=[c[1][:30] for c in CASES])
def test_the_site_name_is_cut(args, expected):
    assert headline(*args) == expected


@pytest.mark.parametrize("args", TRAPS, ids=[str(t[0])[:30] for t in TRAPS])
def test_traps_stay_as_they_are(args):
    assert headline(*args) == args[0]
