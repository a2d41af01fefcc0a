"""Titles without the site name: table-driven, real shapes from news pages, with traps
that must stay as they are."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.cleaners.titles import headline


def _article(title: str, before: str, paragraphs: tuple[str, ...]) -> str:
    """An article page: its <title>, the markup before the story (headlines, menus) and
    the story's paragraphs."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body>{before}"
        f"<div class='article'>{body}</div></body></html>"
    )


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
    # a heading that is the title's kicker or a section's name is not the headline:
    # under half the title, and the rest of the title names no site
    (
        (
            "OL i Paris 2024: Tårene rant for stavhopper Lene Retzius – så kom sjokkvendingen",
            ["OL i Paris", "Tårene rant for norsk OL-håp – så kom sjokkvendingen"],
            "https://www.nrk.no/ol/x",
            None,
        ),
        "OL i Paris 2024: Tårene rant for stavhopper Lene Retzius – så kom sjokkvendingen",
    ),
    # a heading that is a part of a segment of the title, beside a standfirst's words
    (
        (
            "Ist die Thüringer Bratwurst eine Illusion? Das harte Geschäft mit dem Tod | MDR.DE",
            ["Thüringer Bratwurst eine Illusion?"],
            "https://www.mdr.de/x",
            None,
        ),
        "Ist die Thüringer Bratwurst eine Illusion? Das harte Geschäft mit dem Tod",
    ),
    # traps: a heading before a colon glued to it, and the site's name in brackets beside it
    (
        (
            "How To Pack Everything for Your 3-Day Weekend Trip: The GQ Eye: GQ on Style: GQ",
            ["How To Pack Everything for Your 3-Day Weekend Trip"],
            "https://www.gq.com/x",
            None,
        ),
        "How To Pack Everything for Your 3-Day Weekend Trip",
    ),
    (
        (
            "Pakistans Stocks And Currency Pay Heavy Price (from The Herald )",
            ["Pakistan’s stocks and currency pay heavy price"],
            "https://www.theherald.co.uk/x",
            None,
        ),
        "Pakistan’s stocks and currency pay heavy price",
    ),
    # traps: a short headline with the site's sections and name around it; a short heading
    # where no site's name can tell
    (
        (
            "Obama wins Iowa - Election 2008 - US Politics - World News - Guardian",
            ["Obama wins Iowa"],
            "https://www.guardian.co.uk/x",
            None,
        ),
        "Obama wins Iowa",
    ),
    (
        (
            "FOXNews.com - Hurricane Katrina Plows Through Florida - U.S. & World",
            ["Hurricane Katrina Plows Through Florida"],
            None,
            None,
        ),
        "Hurricane Katrina Plows Through Florida",
    ),
    # Chinese and Japanese: full-width marks without spaces, headlines without spaces
    (
        (
            "南海トラフ、一時調査　巨大地震、基準達せず：中日新聞Web",
            [],
            "https://www.chunichi.co.jp/article/1",
            "中日新聞Web",
        ),
        "南海トラフ、一時調査 巨大地震、基準達せず",  # spaces folded, as in every title
    ),
    (
        (
            "協賛企業で各競技団体のビジネスモデル完全崩壊へ｜日刊ゲンダイDIGITAL",
            [],
            "https://www.nikkan-gendai.com/x",
            "日刊ゲンダイDIGITAL",
        ),
        "協賛企業で各競技団体のビジネスモデル完全崩壊へ",
    ),
    (
        (
            "索尼、鎧俠業績遭波及 已向美申請供貨華為 | 兩岸焦點 | 兩岸 | 經濟日報",
            [],
            "https://money.udn.com/x",
            "經濟日報",
        ),
        "索尼、鎧俠業績遭波及 已向美申請供貨華為",
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
    # a full-width colon inside a headline, no site to cut; a site segment left with only
    # a short label ("速報" is two characters, one word)
    ("速報：南海トラフ巨大地震の調査終了", [], "https://www.chunichi.co.jp/article/1", "中日新聞Web"),
    ("速報：中日新聞Web", [], "https://www.chunichi.co.jp/article/1", "中日新聞Web"),
]  # fmt: skip


@pytest.mark.parametrize("args, expected", CASES, ids=[c[1][:30] for c in CASES])
def test_the_site_name_is_cut(args, expected):
    assert headline(*args) == expected


@pytest.mark.parametrize("args", TRAPS, ids=[str(t[0])[:30] for t in TRAPS])
def test_traps_stay_as_they_are(args):
    assert headline(*args) == args[0]


# -- a title that names the site or a section: the page's own headline ------------------

OPENING = (
    "Toyota Motor Corp. will unveil a concept pickup truck at the Detroit auto show next "
    "week, the company said on Monday, as it pushes deeper into the American truck market."
)

HEADING_CASES = [
    # (title, headings as (rank, text) in page order) -> title chosen
    # the title is the site's name: the h1 the opening shares words with
    (
        ("The Modesto Bee", [(0, "Toyota to unveil concept truck at Detroit show")]),
        "Toyota to unveil concept truck at Detroit show",
    ),
    # a section label as title, and section headings that share nothing: the headline
    (
        (
            "Breaking News",
            [
                (3, "Latest headlines"),
                (1, "Toyota unveils a concept pickup truck"),
                (3, "Most read stories today"),
            ],
        ),
        "Toyota unveils a concept pickup truck",
    ),
    # an h1 outranks a standfirst h2 that shares as much
    (
        (
            "Other News Video",
            [
                (2, "The company pushes deeper into the American truck market"),
                (0, "Toyota unveils concept pickup truck"),
            ],
        ),
        "Toyota unveils concept pickup truck",
    ),
    # a menu whose class says title shares the opening's words: not a headline
    (
        (
            "Other News Video",
            [
                (1, "Toyota\n Concept Truck\n Detroit Auto Show\n Pickup Market"),
                (2, "Toyota to unveil concept truck at show"),
            ],
        ),
        "Toyota to unveil concept truck at show",
    ),
    # no title at all
    (
        (None, [(1, "Toyota to unveil concept truck at show")]),
        "Toyota to unveil concept truck at show",
    ),
    # traps: a title that names the story stays, whatever the headings
    (
        ("Toyota readies a pickup for Detroit", [(0, "Toyota unveils concept pickup truck")]),
        "Toyota readies a pickup for Detroit",
    ),
    # headings that share too little, are too short or are labels: the title stays
    (
        (
            "The Modesto Bee",
            [
                (0, "Toyota news"),
                (0, "Weather forecast for the weekend ahead"),
                (1, "Toyota to unveil:"),
            ],
        ),
        "The Modesto Bee",
    ),
]


@pytest.mark.parametrize(("args", "expected"), HEADING_CASES)
def test_a_title_naming_the_site_gives_way_to_the_pages_headline(args, expected):
    from newsclean.cleaners.titles import heading_of, names_the_article

    title, headings = args
    chosen = title if names_the_article(title, OPENING) else heading_of(OPENING, headings) or title
    assert chosen == expected


def test_extraction_takes_the_headline_from_a_2008_table_layout():
    """A Google News page of 2008: the <title> is the paper's name, the headline a bold
    line alone in its table cell; bold words inside paragraphs are emphasis."""
    from newsclean.cleaners.extract import extract

    body = (
        "<p>Toyota Motor Corp. will unveil a concept pickup truck at the Detroit auto show "
        "next week, the company said on Monday. <b>Toyota</b> said the truck shows where "
        "its American line is going.</p>"
        "<p>The company has been pushing deeper into the American truck market for a decade, "
        "and analysts expect the new model to compete with the best-selling pickups.</p>"
        "<p>Sales of large pickups rose last year even as fuel prices climbed, according to "
        "industry figures released in January by several research firms.</p>"
    )
    html = (
        "<html><head><title>The Modesto Bee</title></head><body><table><tr>"
        "<td><a href='/'>Home</a> <a href='/news'>News</a></td></tr><tr>"
        "<td><b>Toyota to unveil concept truck at show</b></td></tr>"
        f"<tr><td>{body}</td></tr></table></body></html>"
    )
    assert extract(html).title == "Toyota to unveil concept truck at show"
    # the same page with a headline in its <title>: that one stays (less the site name)
    named = html.replace("The Modesto Bee", "Toyota shows a pickup in Detroit - The Modesto Bee")
    assert extract(named).title == "Toyota shows a pickup in Detroit"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Wurz joins Honda as test driver\n \n \n Thursday, 10, January, 2008, 09:14",
            "Wurz joins Honda as test driver",
        ),
        (
            "Raiders' late trey snuffs Flames\n\nBrown's basket breaks the home streak",
            "Raiders' late trey snuffs Flames",
        ),
        # traps: one block; a first block too short to be a headline
        ("Toyota to unveil concept truck at show", "Toyota to unveil concept truck at show"),
        ("News\n\nToyota to unveil concept truck", "News\n\nToyota to unveil concept truck"),
        (None, None),
    ],
)
def test_a_title_over_blank_lines_is_its_first_block(title, expected):
    from newsclean.cleaners.titles import first_block

    assert first_block(title) == expected


BBC_OPENING = (
    "The US has lifted a ban on the export of mobile phones and software to Iran, "
    "saying it wants to help Iranians communicate with each other and the outside world."
)
PRINTED_CASES = [
    # (og:title, h1s, <title>) -> headline
    # og:title written for social media; the page prints the h1, which <title> carries
    (
        (
            "US lifts Iran 'iPhone' sanctions",
            ["US lifts ban on mobile phones and software for Iran"],
            "BBC News - US lifts ban on mobile phones and software for Iran",
        ),
        "US lifts ban on mobile phones and software for Iran",
    ),
    # a section name as the metadata title; the first h1 is a logo, the second the story
    (
        (
            "Other News Video",
            ["BBC", "US lifts ban on mobile phones and software for Iran"],
            "US lifts ban on mobile phones and software for Iran | BBC",
        ),
        "US lifts ban on mobile phones and software for Iran",
    ),
    # no metadata title at all
    (
        (
            None,
            ["US lifts ban on mobile phones for Iran"],
            "US lifts ban on mobile phones for Iran",
        ),
        "US lifts ban on mobile phones for Iran",
    ),
    # traps: the site's name in the h1 (and in <title>) is no headline, even where the
    # article speaks of its words
    (
        (
            "US lifts Iran 'iPhone' sanctions",
            ["BBC News Iran"],
            "BBC News Iran - US lifts ban on mobile phones and software for Iran",
        ),
        "US lifts Iran 'iPhone' sanctions",
    ),
    (
        (
            "US lifts Iran 'iPhone' sanctions",
            ["BBC News Online"],
            "BBC News Online - US lifts ban on mobile phones and software for Iran",
        ),
        "US lifts Iran 'iPhone' sanctions",
    ),
    # an h1 that <title> does not carry (another story's, a promo) changes nothing
    (
        (
            "US lifts Iran 'iPhone' sanctions",
            ["Most read stories of the day"],
            "BBC News - US lifts ban on mobile phones and software for Iran",
        ),
        "US lifts Iran 'iPhone' sanctions",
    ),
    # an h1 in <title> that the article does not speak of (a section header)
    (
        (
            "US lifts Iran 'iPhone' sanctions",
            ["Middle East Business Weekly"],
            "Middle East Business Weekly - BBC News",
        ),
        "US lifts Iran 'iPhone' sanctions",
    ),
    # an h1 over several lines is a block of links (NRK)
    (
        (
            "US lifts Iran 'iPhone' sanctions",
            ["US lifts ban\n on mobile\n phones for Iran"],
            "US lifts ban on mobile phones for Iran",
        ),
        "US lifts Iran 'iPhone' sanctions",
    ),
    # too short to be a headline; no <title> to tell by
    (
        ("US lifts Iran 'iPhone' sanctions", ["Iran"], "Iran - BBC News"),
        "US lifts Iran 'iPhone' sanctions",
    ),
    (
        ("US lifts Iran 'iPhone' sanctions", ["US lifts ban on mobile phones for Iran"], None),
        "US lifts Iran 'iPhone' sanctions",
    ),
    # the same words as the title: the title's own spelling stays
    (
        (
            "US Lifts Ban On Mobile Phones",
            ["US lifts ban on mobile phones"],
            "US lifts ban on mobile phones",
        ),
        "US Lifts Ban On Mobile Phones",
    ),
]


@pytest.mark.parametrize(("args", "expected"), PRINTED_CASES)
def test_the_h1_that_the_page_title_carries_is_the_printed_headline(args, expected):
    from newsclean.cleaners.titles import printed_headline, site_keys

    title, h1s, page_title = args
    sites = site_keys("https://www.bbc.co.uk/news/x", "BBC News")
    assert printed_headline(title, h1s, page_title, BBC_OPENING, sites) == expected


def test_extraction_takes_a_headline_class_element_that_the_title_carries():
    """2008 Herald pages: the <title> adds `(from The Herald )` and title-cases the
    headline; the element with a headline class prints it as written. A navigation block
    whose class says title is not a headline (it spans lines)."""
    from newsclean.cleaners.extract import extract

    html = _article(
        "Ministers Face Dilemma Over Sportscotland (from The Herald )",
        "<div class='nav-title'><a>Ministers</a>\n<a>Face</a>\n<a>Dilemma</a></div>"
        "<div class='artHeadline'>Ministers face dilemma over sportscotland</div>",
        (
            "Ministers face a dilemma over the future of sportscotland after a review found "
            "the agency had failed to meet most of its targets for the last three years.",
            "The review, published on Monday, recommends that the agency be merged with the "
            "national lottery body, a move opposed by most of the governing bodies of sport.",
            "A decision is expected before the summer, ministers said in a statement issued "
            "after the review was laid before parliament in Edinburgh this week.",
        ),
    )
    assert extract(html, "http://www.theherald.co.uk/news/x").title == (
        "Ministers face dilemma over sportscotland"
    )
    # without the headline element the title stays as the page gives it, less the site's
    # name in brackets
    plain = html.replace("artHeadline", "article-meta")
    assert extract(plain, "http://www.theherald.co.uk/news/x").title == (
        "Ministers Face Dilemma Over Sportscotland"
    )


FORBES_OPENING = (
    "Happiness is a fast car, and this year the trade in fast cars is booming: the news "
    "from the carmakers is that buyers want happiness at speed."
)
WEAK_CASES = [
    # (title, candidates (rank, text)) -> title chosen
    # a section name, half of whose words the opening happens to use ("news"): the
    # headline-class element
    (
        ("Financial News - Business News", [(5, "Vehicles"), (1, "Happiness Is A Fast Car")]),
        "Happiness Is A Fast Car",
    ),
    # traps: a title the opening speaks of stays, whatever the page's elements say
    (
        ("Happiness is a fast car", [(1, "Fast car buyers want happiness at speed")]),
        "Happiness is a fast car",
    ),
    # an element the opening speaks of only in part, or one without a headline class
    (
        ("Financial News - Business News", [(1, "Happiness Is Not For Sale This Year")]),
        "Financial News - Business News",
    ),
    (
        ("Financial News - Business News", [(5, "Happiness Is A Fast Car")]),
        "Financial News - Business News",
    ),
]


@pytest.mark.parametrize(("args", "expected"), WEAK_CASES)
def test_a_weak_title_gives_way_to_a_headline_element_the_opening_speaks_of(args, expected):
    from newsclean.cleaners.titles import STRONG_HEADING_SHARE, heading_of, weak_title

    title, candidates = args
    marked = [c for c in candidates if c[0] <= 1]
    if weak_title(title, FORBES_OPENING):
        title = heading_of(FORBES_OPENING, marked, STRONG_HEADING_SHARE) or title
    assert title == expected


def test_extraction_takes_the_headline_element_over_a_section_title():
    """Forbes 2005: the <title> names the section, whose words the opening happens to
    use; the span with the article-title class holds the headline."""
    from newsclean.cleaners.extract import extract

    html = _article(
        "Financial News - Business News",
        "<span class='mainarttitle'>Happiness Is A Fast Car</span>",
        (
            FORBES_OPENING,
            "Sales of sports cars rose by a fifth last year, and the makers expect the "
            "numbers to climb again as new models reach the showrooms in the spring.",
            "Analysts said the growth would slow once interest rates rise, but few buyers "
            "seem to be waiting for that before they sign for a new car this season.",
        ),
    )
    assert extract(html, "http://www.forbes.com/x").title == "Happiness Is A Fast Car"


def test_extraction_takes_bbcs_story_headline():
    """BBC pages of 2000-2010 print the headline in <div class="sh">; their <title> is
    broken by a comment ("BBC SPORTi library-->") or names the site. A class that only
    starts with the letters (shadow, share) is no headline."""
    from newsclean.cleaners.extract import extract

    html = _article(
        "BBC SPORTi library-->",
        "<div class='shadow'>Tour of Australia live scores and reports</div>"
        "<div class='share'>India withdraw threat</div>"
        "<div class='sh'>India withdraw tour quit threat</div>",
        (
            "India have withdrawn their threat to quit the tour of Australia after the "
            "International Cricket Council lifted a ban on spinner Harbhajan Singh.",
            "The Indian board had said the tour would not go on unless the three-match ban "
            "was overturned, and the players stayed in Canberra while the appeal was heard.",
            "The tour will now continue with the fourth Test in Adelaide next week, officials "
            "from both boards said in a joint statement on Tuesday evening.",
        ),
    )
    assert extract(html, "http://news.bbc.co.uk/sport1/hi/cricket/x.stm").title == (
        "India withdraw tour quit threat"
    )
    # trap: without the story-headline class the broken title is all there is to go by
    plain = html.replace("class='sh'", "class='intro'")
    assert extract(plain, "http://news.bbc.co.uk/sport1/hi/cricket/x.stm").title != (
        "India withdraw tour quit threat"
    )


@pytest.mark.parametrize(
    ("title", "url", "site_name", "expected"),
    [
        ("San Jose Mercury News", "http://www.mercurynews.com/sharks/x", None, True),
        ("Bloomberg.com: Japan", "http://www.bloomberg.com/apps/news?x", None, True),
        ("tehran times", "http://www.tehrantimes.com/x", None, True),
        ("Press TV", "http://www.presstv.ir/x", "Press TV", True),
        # traps: a headline that names the site among other words; no site to tell by
        (
            "Bloomberg buys a stake in a Japanese news agency",
            "http://www.bloomberg.com/x",
            None,
            False,
        ),
        ("CNN anchor leaves the network after 20 years", "http://edition.cnn.com/x", None, False),
        ("San Jose Mercury News", None, None, False),
        (None, "http://www.mercurynews.com/x", None, False),
    ],
)
def test_a_title_that_is_only_the_sites_name(title, url, site_name, expected):
    from newsclean.cleaners.titles import is_site_name, site_keys

    assert is_site_name(title, site_keys(url, site_name)) is expected


def test_extraction_takes_the_headline_over_a_title_that_is_the_sites_name():
    """The <title> is the paper's name, whose words the opening happens to use (San Jose):
    the element with an article-title class holds the headline."""
    from newsclean.cleaners.extract import extract

    html = _article(
        "San Jose Mercury News",
        "<div class='articleTitle'>Coyotes end Canucks' home streak</div>",
        (
            "The Coyotes ended the Canucks' run of home wins on Saturday night in San Jose, "
            "scoring twice in the third period of a game the hosts had led for an hour.",
            "Vancouver had won nine straight at home before the loss, which leaves the team "
            "two points behind the division leaders with a game in hand this week.",
            "The coach said after the game that his players had stopped skating once they "
            "were ahead, and that the home dominance would not last without more effort.",
        ),
    )
    assert extract(html, "http://www.mercurynews.com/sports/x").title == (
        "Coyotes end Canucks' home streak"
    )


KINDLE_OPENING = (
    "Amazon's new Kindles read books aloud, and the Authors Guild says creative machines "
    "that do so cut into the copyright of the writers whose books they read. The dispute "
    "shows how blurred the boundaries of copyright have become, lawyers said."
)
KINDLE = 'Kindles and "creative machines" blur boundaries of copyright'
SIDEBAR = "Digging for buried treasure: Ars reviews iPhone apps"
H2_CASES = [
    # (title, h2s, <title>) -> headline: the h2 that is the <title> less the site's name
    ((SIDEBAR, ["Hot stories on Ars", KINDLE], f"{KINDLE} - Ars Technica"), KINDLE),
    # whole segments, even where the headline holds a separator of its own
    (
        (
            SIDEBAR,
            ["Study: Kindles blur copyright for creative machines"],
            "Study: Kindles blur copyright for creative machines - Ars Technica",
        ),
        "Study: Kindles blur copyright for creative machines",
    ),
    # a title that is only a section, though the <title> carries it
    (("Tech Policy", [KINDLE], f"{KINDLE} - Tech Policy"), KINDLE),
    # traps: a subheading that only part of a segment repeats (Aftonbladet)
    (
        (
            "Kindles found reading aloud in Uddevalla",
            ["creative machines blur"],
            "Kindles reading aloud – creative machines blur boundaries of copyright",
        ),
        "Kindles found reading aloud in Uddevalla",
    ),
    # the title is the <title>'s own and names the article: a segment h2 is a subheading
    (
        (
            f"{KINDLE} – what the copyright says",
            ["What the copyright says"],
            f"{KINDLE} – what the copyright says",
        ),
        f"{KINDLE} – what the copyright says",
    ),
    # an h2 in <title> that the article does not speak of; the site's name
    ((SIDEBAR, ["Hot stories on Ars"], "Hot stories on Ars - Ars Technica"), SIDEBAR),
    ((SIDEBAR, ["Ars Technica"], f"{KINDLE} - Ars Technica"), SIDEBAR),
]


@pytest.mark.parametrize(("args", "expected"), H2_CASES)
def test_an_h2_that_is_the_page_titles_headline_is_the_printed_headline(args, expected):
    from newsclean.cleaners.titles import printed_headline, site_keys

    title, h2s, page_title = args
    sites = site_keys("http://arstechnica.com/x", None)
    assert printed_headline(title, [""], page_title, KINDLE_OPENING, sites, h2s) == expected


def test_extraction_takes_the_h2_headline_over_a_sidebars_title():
    """Ars Technica, 2009: the logo is the page's one h1, the headline an h2 that the
    <title> carries; trafilatura's title is a sidebar's."""
    from newsclean.cleaners.extract import extract, page_metadata, parse_html

    html = _article(
        f"{KINDLE} - Ars Technica",
        "<h1><a href='/'><img src='logo.png' alt=''></a></h1>"
        f"<div class='sidebar'><h2 class='title'>{SIDEBAR}</h2></div>"
        f"<h2 class='news-item-title'>{KINDLE}</h2>",
        (
            "Amazon's new Kindles read books aloud, and the Authors Guild says creative "
            "machines that do so cut into the copyright of the writers whose books they read.",
            "The dispute shows how blurred the boundaries of copyright have become in the "
            "digital era, lawyers said, since a machine that reads is neither copy nor show.",
            "Amazon said on Friday that it would let publishers switch the feature off, a "
            "step the guild welcomed, while iPhone apps that read aloud are next in line.",
        ),
    )
    url = "http://arstechnica.com/tech-policy/news/2009/02/kindles.ars"
    assert page_metadata(parse_html(html), url)[0].title == SIDEBAR  # the trap
    assert extract(html, url).title == KINDLE


def test_a_title_escaped_twice_reads_as_printed():
    from newsclean.cleaners.extract import extract

    html = _article(
        "Australian &amp;#039;megablaze&amp;#039; brought under control",
        "",
        (
            "Firefighters brought the Australian megablaze under control on Sunday after "
            "three weeks, the state's emergency service said in a statement.",
            "Rain over the weekend helped crews close the last gaps in the containment "
            "lines around the fire, which burned more than a million hectares.",
        ),
    )
    assert extract(html).title == "Australian 'megablaze' brought under control"


def test_extraction_takes_a_headline_element_that_is_the_page_titles_headline():
    """Forbes, 2005: the one h1 is the site's tagline, which trafilatura takes for the
    title; an element with an article-title class prints the headline that the <title>
    carries after the site's name."""
    from newsclean.cleaners.extract import extract

    html = _article(
        "Forbes.com: Lexus Readies Another Hybrid",
        "<h1>Financial News - Business News</h1>"
        "<span class='artsectiontitle'>Vehicle of the Week</span>"
        "<span class='mainarttitle'>Lexus Readies Another Hybrid</span>",
        (
            "Toyota's luxury brand Lexus will add a hybrid version of its GS sedan next year, "
            "the company said on Tuesday, its third model with the petrol-electric drive.",
            "The car will cost about as much as the V8 model and use less fuel, Lexus said, "
            "though it did not say how many it expects to sell in the first year.",
            "Sales of the RX crossover hybrid have been strong since its launch in April.",
        ),
    )
    title = extract(html, "http://www.forbes.com/2005/04/05/cx_dl_0405vow.html").title
    assert title == "Lexus Readies Another Hybrid"


FOX_TITLE = "Pakistan want forfeit reversed - Breaking News - Fox Sports"
FOX_OPENING = (
    "Breaking News\nPakistan want forfeit reversed\nPAKISTAN has officially asked cricket's "
    "governing body to change the result of the Oval Test, awarded to England."
)
OPENING_CASES = [
    # (title, <title>, opening) -> headline, or None where the title stays
    (("Breaking News", FOX_TITLE, FOX_OPENING), "Pakistan want forfeit reversed"),
    # a title that does not name the article, the headline alone on the first line
    (
        ("Football", "Sterjovski Derby-bound - Football - Fox Sports",
         "Sterjovski Derby-bound\nAUSTRALIA international midfielder Mile Sterjovski is set to "
         "sign for Derby."),
        "Sterjovski Derby-bound",
    ),
    # traps: a title that names the article and is not printed above it
    (("Oval forfeit: Pakistan ask ICC to change the result", FOX_TITLE, FOX_OPENING), None),
    # the printed title is longer than the label under it (bostonherald.com: Sports Items)
    (
        ("Chrome bag is meant to last", "Sports Items | Chrome bag is meant to last",
         "Chrome bag is meant to last\nSports Items\nThe Chrome messenger bag is built to last."),
        None,
    ),
    # only the site's name is printed; no <title>
    (("Breaking News", FOX_TITLE, "Fox Sports\nPAKISTAN has officially asked the ICC."), None),
    (("Breaking News", None, FOX_OPENING), None),
]  # fmt: skip


@pytest.mark.parametrize(("args", "expected"), OPENING_CASES)
def test_the_headline_printed_above_the_story_is_taken_from_the_page_title(args, expected):
    from newsclean.cleaners.titles import opening_headline, site_keys

    title, page_title, opening = args
    sites = site_keys("http://www.foxsports.com.au/cricket/story-1", None)
    assert opening_headline(title, page_title, opening, sites) == expected


def test_a_page_prints_its_section_then_its_headline_both_leave_the_text():
    """Fox Sports, 2008: the one h1 is the section (trafilatura's title); the headline is a
    bold line under it, and the <title> carries it before the section and the site."""
    from newsclean.cleaners.pipeline import clean_page
    from newsclean.schemas.records import RawPage

    story = (
        "PAKISTAN has officially asked cricket's governing body to change the result of the "
        "Oval Test, which was awarded to England after the team refused to take the field.",
        "The board said on Tuesday that the forfeit should be reversed and the match recorded "
        "as a draw, as the umpires had acted without hearing the team's side.",
        "The International Cricket Council said it would consider the request next month.",
    )
    paragraphs = "".join(f"<p>{p}</p>" for p in story)
    html = (
        f"<html><head><title>{FOX_TITLE}</title></head><body><div class='story'>"
        f"<h1>Breaking News</h1><p><b>Pakistan want forfeit reversed</b></p>{paragraphs}"
        "</div></body></html>"
    )
    page = RawPage("fox", "t", html=html, url="http://www.foxsports.com.au/cricket/story-1")
    article = clean_page(page)
    assert article.title == "Pakistan want forfeit reversed"
    assert article.text.splitlines() == list(story)
    assert [(r.rule, r.text) for r in article.removed] == [
        ("title", "Breaking News"),
        ("title", "Pakistan want forfeit reversed"),
    ]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # decoration around the headline
        (
            "=> The One to Watch: Logitech Harmony One Introduces Significant Evolution <=",
            "The One to Watch: Logitech Harmony One Introduces Significant Evolution",
        ),
        (":: Budget talks resume in Ottawa ::", "Budget talks resume in Ottawa"),
        ("» Budget talks resume in Ottawa", "Budget talks resume in Ottawa"),
        # a publication stamp glued to the headline, or after it
        (
            "Junk food advertising ban comes into forcePublished: Wednesday, 2 January, "
            "2008, 02:42 AM Doha Time",
            "Junk food advertising ban comes into force",
        ),
        ("Storm hits the coast Updated Jan 3, 2008 at 10:00", "Storm hits the coast"),
        # the script a broken <title> runs into, then the site's name in brackets
        (
            'Korean Golfer Choi Kyung-ju Wins 7th US PGA Title(The Korea Times)ntById("font");'
            '\nobj.style.fontSize = fontSize+"pt";',
            "Korean Golfer Choi Kyung-ju Wins 7th US PGA Title",
        ),
        (
            "Ministers face dilemma over sport (from The Korea Times)",
            "Ministers face dilemma over sport",
        ),
        # traps: a label and a number that are the headline's; brackets that are not the
        # site's; a hyphenated word; nothing to cut; what would leave too short a headline
        ("Apple and Google Updated 15 apps", "Apple and Google Updated 15 apps"),
        ("Budget talks resume (updated)", "Budget talks resume (updated)"),
        ("Reds beat Blues 3-1 -- again", "Reds beat Blues 3-1 -- again"),
        ("Toyota to unveil concept truck at show", "Toyota to unveil concept truck at show"),
        ("=> Storm <=", "=> Storm <="),
        (None, None),
    ],
)
def test_decoration_stamps_script_and_the_bracketed_site_name_leave_the_title(title, expected):
    from newsclean.cleaners.titles import site_keys, trimmed

    assert trimmed(title, site_keys("http://www.koreatimes.co.kr/x", None)) == expected


@pytest.mark.parametrize(
    ("title", "url", "expected"),
    [
        # the site's name, then words of what it is, no separator between
        ("Starpulse Entertainment News Blog", "http://www.starpulse.com/news/x", True),
        (
            "Summit Daily News for Breckenridge, Keystone, Copper and Frisco Colorado",
            "http://www.summitdaily.com/article/x",
            True,
        ),
        # traps: the site's name as the subject of a headline; a headline that happens
        # to hold such a word later on
        ("Starpulse Wins A Webby For Its News Blog", "http://www.starpulse.com/news/x", False),
        ("Summit Daily reporter wins award", "http://www.summitdaily.com/x", False),
    ],
)
def test_a_title_that_is_the_site_describing_itself(title, url, expected):
    from newsclean.cleaners.titles import is_site_name, site_keys

    assert is_site_name(title, site_keys(url, None)) is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("News", True),
        ("Sports News", True),
        ("Latest Headlines", True),
        # traps: a headline holding such words; one word of a headline
        ("News of the storm reaches the coast", False),
        ("Hellga", False),
        ("", False),
    ],
)
def test_a_title_of_only_section_words_is_a_label(title, expected):
    from newsclean.cleaners.titles import section_label

    assert section_label(title) is expected


TABLE_OPENING = (
    "| | UK National News |\n"
    "| Submit News Item | |\n"
    "| 08 January 2008 | |\n"
    "| House Price Trend Is Down In Subdued Market | |\n"
    "| House price inflation fell sharply at the end of last year according to the Halifax "
    "bank, the country's biggest mortgage lender, as buyers stayed away. |\n"
)


def test_a_menu_cell_does_not_make_a_section_title_name_the_article():
    """The opening's words come from its prose: a layout table's short cells (a menu, a
    date) are not read, so `UK Film and Television News` no longer seems to name a story
    on house prices because a menu says `UK National News`; words that name the site are
    not the article's either."""
    from newsclean.cleaners.titles import heading_of, names_the_article, site_keys

    assert not names_the_article("UK Film and Television News", TABLE_OPENING)
    # the story's own words still count, in a cell of the same table
    assert names_the_article("Halifax says house prices fell", TABLE_OPENING)
    headings = [(5, "UK National News"), (6, "House Price Trend Is Down In Subdued Market")]
    assert heading_of(TABLE_OPENING, headings) == "House Price Trend Is Down In Subdued Market"
    # the site's own name in a title is no sign that it names the article
    opening = "The BBC has learned that the kidnapped Britons were shown on a tape on Monday."
    sites = site_keys("http://news.bbc.co.uk/1/hi/uk/x.stm", None)
    assert names_the_article("bbc.co.uk Navigation", opening)
    assert not names_the_article("bbc.co.uk Navigation", opening, sites)


@pytest.mark.parametrize(
    ("opening", "title", "expected"),
    [
        (
            "\t\nMirror, Mirror\nBiting and witty satire takes to the stage\nThe play ...",
            None,
            "Mirror, Mirror",
        ),
        (
            "News\nRadiohead Play Secret Show In London\nby Tim Cashmere - January 16 2008\n...",
            "News",
            "Radiohead Play Secret Show In London",
        ),
        # a byline and a date line above the story are passed over
        (
            "By Tim Cashmere\nTuesday January 8, 2008\nRadiohead Play Secret Show\nThe band...",
            None,
            "Radiohead Play Secret Show",
        ),
        # traps: a story whose first line is a sentence; a page of one line; a long line
        ("The rupee ended marginally better on Monday.\nMore text.", None, None),
        ("Request unsuccessful. Incapsula incident ID: 7030", None, None),
        (" ".join(["word"] * 30) + "\nRupee at 39.28 against US dollar\nmore", None, None),
    ],
)
def test_the_headline_printed_as_the_storys_first_line(opening, title, expected):
    from newsclean.cleaners.titles import opening_line

    assert opening_line(opening, title) == expected


SAFETY = (
    "Last year was one of the safest in aviation history, an independent watchdog said on "
    "Wednesday, with less accidents than in any year since the 1960s even as flights rose.",
    "The Geneva-based bureau counted 136 accidents worldwide in 2007, against 166 a year "
    "earlier, and said the number of people killed fell by more than a tenth.",
    "Airlines flew more passengers than ever, the bureau said, and the rate of accidents "
    "for every million departures was the lowest it has recorded.",
)


def _heading_rule(title, headings, opening, url="http://www.kdbc.com/global/story.asp?s=1"):
    """The page-heading rule on a page of ``headings`` ((rank, text) in page order) whose
    story opens with ``opening``."""
    from newsclean.cleaners.extract import TitleContext, _page_heading
    from newsclean.cleaners.titles import site_keys

    context = TitleContext(
        text=opening,
        body=opening,
        url=url,
        sitename=None,
        sites=site_keys(url, None),
        h1s=[h for rank, h in headings if rank == 0],
        h2s=[],
        page_title=title,
        every_heading=headings,
        candidates=headings,
    )
    return _page_heading(context, title)


SAFETY_HEADLINE = "More flights, fewer crashes mark 2007 as good year for aviation safety"


def test_a_headline_that_says_the_story_in_other_words_replaces_the_sites_description():
    """A 2008 television station's page: the <title> lists the site's sections and no
    heading prints it; the headline, a bold cell, says in other words (`safety`,
    `crashes`) what the story says: a heading of four words or more that is not a
    sentence needs LOOSE_HEADING_SHARE of its words in the opening there."""
    from newsclean.cleaners.titles import LOOSE_HEADING_SHARE, _opening_words, share

    opening = " ".join(SAFETY)
    assert LOOSE_HEADING_SHARE <= share(SAFETY_HEADLINE, _opening_words(opening)) < 0.6
    site = "El Paso/Las Cruces News, Weather, Sports and Entertainment - KDBC 4"
    headings = [(6, "National News Minute"), (6, SAFETY_HEADLINE)]
    assert _heading_rule(site, headings, opening) == SAFETY_HEADLINE
    # traps: a title that a heading of the page prints is the page's headline though the
    # story speaks of nothing in it (a blog post, a chapter); a sentence; a short label
    printed = [(0, "Need for Speed"), (6, SAFETY_HEADLINE)]
    assert _heading_rule("Need for Speed", printed, opening) == "Need for Speed"
    sentence = [(6, SAFETY_HEADLINE + ".")]
    assert _heading_rule(site, sentence, opening) == site
    assert _heading_rule(site, [(1, "Aviation year")], opening) == site


def test_extraction_takes_the_first_line_of_an_untitled_story():
    """No <title> and no heading: the story's first line, a headline's length and no
    sentence, is its headline; it leaves the text."""
    from newsclean.cleaners.extract import extract

    story = (
        "Rupee at 39.28 against US dollar",
        "Press Trust of India",
        "The rupee on Monday ended marginally better at 39.28 against the greenback in "
        "anticipation of strong capital inflows through share sales, dealers said.",
        "The local unit had closed at 39.30 on Friday. Dealers said the central bank was seen "
        "buying dollars to keep the rupee from rising too fast against the dollar.",
        "Forward premiums eased on the day as exporters sold dollars for the month ahead, "
        "and traders expect the currency to stay in a narrow band this week.",
    )
    html = "<html><body><div>" + "".join(f"<p>{p}</p>" for p in story) + "</div></body></html>"
    got = extract(html)
    assert (got.title, got.provenance["title"]) == (story[0], "page_heading")
    # the pipeline then takes the headline out of the text
    from newsclean.cleaners.pipeline import clean_page
    from newsclean.schemas.records import RawPage

    article = clean_page(RawPage("p", "p.html", html=html))
    assert article.title == story[0]
    assert article.text.startswith("Press Trust of India\nThe rupee on Monday")
    assert ("title", story[0]) in [(r.rule, r.text) for r in article.removed]


# pieces a title is made of: words, separators, brackets, stamps, a site's name, script
_TITLE_TEXT = st.lists(
    st.sampled_from(
        [
            "Storm",
            "hits",
            "the",
            "coast",
            " ",
            "\n",
            ":",
            ";",
            "(",
            ")",
            "[",
            "]",
            "=>",
            "<=",
            "»",
            "-",
            "|",
            '"',
            "'",
            ".",
            "2008",
            "Published",
            "Updated",
            "(The Korea Times)",
            'x("font");',
            "::",
        ]
    ),
    max_size=20,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_TITLE_TEXT)
def test_trimming_only_cuts_from_the_ends_of_a_title(title):
    """Whatever the title, `trimmed` gives it back or a part of it that still reads as a
    headline: it never adds, reorders or empties."""
    from newsclean.cleaners.titles import MIN_HEADLINE_WORDS, headline_words, site_keys, trimmed

    cut = trimmed(title, site_keys("http://www.koreatimes.co.kr/x", None))
    assert cut == title or (cut in title and headline_words(cut) >= MIN_HEADLINE_WORDS)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TITLE_TEXT, max_size=6), st.one_of(st.none(), _TITLE_TEXT))
def test_the_first_line_taken_is_a_line_of_the_opening(lines, title):
    from newsclean.cleaners.titles import MAX_HEADLINE_WORDS, opening_line

    opening = "\n".join(lines)
    found = opening_line(opening, title)
    if found is not None:
        printed = [" ".join(line.replace("|", " ").split()) for line in opening.splitlines()]
        assert found in printed
        assert 2 <= len(found.split()) <= MAX_HEADLINE_WORDS


def test_a_chinese_title_names_its_article_by_pairs_of_characters():
    """Chinese prints no spaces, so a headline is one or two "words" of many characters
    that the opening never prints alone: pairs of characters are compared instead. The
    headline names the story; a copyright notice printed as a heading does not, and is
    not taken for the headline."""
    from newsclean.cleaners.titles import content_words, heading_of, names_the_article

    opening = (
        "TNW中文站 10月14日报道\nDeepMind的新电脑已可利用记忆自学，人工智能迈上了新台阶。"
        "谷歌在2014年收购的人工智能公司DeepMind开发出一款能够用自己的"
        "记忆学习新知识并利用这些知识来回答问题的计算机。这意味着未来的人工智能技术可能不需要"
        "人类来教它就能回答问题。"
    )
    assert content_words("人工智能 AI") == ["人工", "工智", "智能"]
    assert names_the_article("DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶", opening)
    assert not names_the_article("上海房价连续三个月下跌", opening)
    notice = (
        "【美国The Next Web作品的中文相关权益归腾讯公司独家所有。未经授权，不得转载、摘编等。】"
    )
    headline = "DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶"
    assert heading_of(opening, [(0, notice), (0, headline)]) == headline


# The story of a page whose headline says it in other words than its opening (Ars
# Technica 2013), with a pull quote that its h2, of a headline class, repeats.
_BOSTON_STORY = (
    "It looks like Boston's Finest is going to be watched by its own. As the result of "
    "new contract negotiations between the city and the police department, cruisers "
    "will carry GPS devices designed to show how the cars move around the city.",
    "The union said the officers were never asked before the devices were ordered, and "
    "that the city had promised the data would stay with the dispatchers.",
    "No one likes it. Who wants to be followed all over the place?",
    "The city said the change would shorten the time it takes to send a car to a call.",
)


def test_a_title_printed_as_the_h1_and_in_the_page_title_stays_the_headline():
    """The opening repeats few of the headline's words, and a pull quote in a heading of a
    headline class is the opening's own words: the headline that both the <h1> and the
    <title> print stays."""
    from newsclean.cleaners.extract import extract

    title = "Boston policemen complain about new plan to watch their movements"
    html = _article(
        f"{title} | Ars Technica",
        f"<h1>{title}</h1><h2 class='subheading headline'>Anon officer: No one likes it. "
        "Who wants to be followed all over the place?</h2>",
        _BOSTON_STORY,
    )
    assert extract(html, "https://arstechnica.com/x").title == title


def test_printed_everywhere_needs_the_h1_and_the_page_title_both():
    """Traps: a headline that the <title> does not carry, the site's name printed as both,
    a one-word label, an h1 that differs from the title."""
    from newsclean.cleaners.titles import printed_everywhere

    title = "Boston policemen complain about new plan to watch their movements"
    sites = {"arstechnica"}
    assert printed_everywhere(title, [title], f"{title} | Ars Technica", sites)
    assert not printed_everywhere(title, [title], "Ars Technica", sites)
    assert not printed_everywhere(title, ["Ars Technica"], f"{title} | Ars Technica", sites)
    assert not printed_everywhere("Ars Technica", ["Ars Technica"], "Ars Technica", sites)
    assert not printed_everywhere("Tags", ["Tags"], "Tags | Example", {"example"})


def test_a_headings_date_line_is_not_a_word_of_its_headline():
    """A heading element that holds a kicker or a headline over a date line (2008 sites):
    the date does not make a kicker of two words a headline, nor stays in one."""
    from newsclean.cleaners.titles import heading_of

    opening = (
        "Cassio and Cornthwaite return for Glory clash\nTuesday January 8, 2008\n"
        "Adelaide United FC defenders Cassio and Robert Cornthwaite will be available this "
        "Sunday to tackle Perth Glory in Round 20 of the A-League, the club said."
    )
    assert heading_of(opening, [(1, "Adelaide United\n Tuesday January 8, 2008")]) is None
    assert (
        heading_of(opening, [(1, "Cassio and Cornthwaite return\nTuesday January 8, 2008")])
        == "Cassio and Cornthwaite return"
    )
    # trap: a headline set over two lines, no date in either, stays whole
    assert (
        heading_of(opening, [(1, "Cassio and Cornthwaite\nreturn for Glory clash")])
        == "Cassio and Cornthwaite\nreturn for Glory clash"
    )


def test_the_headline_above_the_story_counts_only_lines_that_print_something():
    """A 2008 layout leaves blank cells above the story: the headline that the <title>
    carries is still among its first lines. The site's name for a title (``Winnipeg
    Sun``, on a story that speaks of Winnipeg) does not name the article."""
    from newsclean.cleaners.titles import opening_headline

    opening = (
        "\t\t\t\n\t\t\t\t\t\n\t\tMon, January 14, 2008\nPodium for Canuck\n"
        "Bronze medal picks up slack left by injured Hudec\n"
        "WENGEN, Switzerland -- Manuel Osborne-Paradis gave Canada's ski team a lift, and "
        "his fans in Winnipeg a bronze medal, in a World Cup downhill on the Lauberhorn."
    )
    page_title = "winnipegsun.com - Other Sports - Podium for Canuck"
    sites = {"winnipegsun"}
    assert opening_headline("Winnipeg Sun", page_title, opening, sites) == "Podium for Canuck"
    # trap: a headline further down than the first three lines that print something
    later = "Mon, January 14, 2008\nSki jumping\nWENGEN -- A lift.\n" + opening
    assert opening_headline("Winnipeg Sun", page_title, later, sites) is None
