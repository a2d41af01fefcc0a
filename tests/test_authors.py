"""Bylines as people: outlets, job titles and repeats out, names in reading order; traps
(a person whose name starts like the site's) stay."""

from __future__ import annotations

import pytest

from newsclean.cleaners.authors import name_of, people

CASES = [
    (("Mathias Hagen; Journalist; Anders Skjerdingstad", "https://www.nrk.no/x"), "Mathias Hagen; Anders Skjerdingstad"),
    (("Sophie Foster; Sophie-Foster", "https://www.theaustralian.com.au/x"), "Sophie Foster"),
    (("Lesotho Times", "https://www.lesothotimes.com/x"), None),
    (("Mdr De", "https://www.mdr.de/x"), None),
    (("N-Tv Nachrichten", "https://www.n-tv.de/x"), None),
    (("Der Postillon", "https://www.der-postillon.com/x"), None),
    (("Jane Doe; Redaktion", "https://www.example.de/x"), "Jane Doe"),
    (("Reuters Staff; Jane Doe", "https://www.reuters.com/x"), "Jane Doe"),
    # traps
    (("Carl Bildt", "https://www.bild.de/x"), "Carl Bildt"),
    (("Bildt Carl", "https://www.bild.de/x"), "Bildt Carl"),
    (("Scott Gilbertson; Gear Team", "https://www.wired.com/x"), "Scott Gilbertson; Gear Team"),
    ((None, "https://example.org/"), None),
    # the publisher beside the writers, named by the page's copyright notice
    (("Condé Nast; Scott Gilbertson; Gear Team", "https://www.wired.com/x", None,
      "Copyright (c) Condé Nast 2024"), "Scott Gilbertson; Gear Team"),
    # a credit's label is not part of the name
    (("Quelle: dpa", "https://www.example.de/x"), "dpa"),
    # traps: a blog's writer who holds its copyright; a notice naming nobody here
    (("Jane Doe", "https://notes.example/x", None, "© 2024 Jane Doe"), "Jane Doe"),
    (("Jane Doe; John Roe", "https://example.org/x", None, "Copyright 2024 Example Media"),
     "Jane Doe; John Roe"),
]  # fmt: skip


@pytest.mark.parametrize("args, expected", CASES, ids=[str(c[0][0])[:30] for c in CASES])
def test_people_only(args, expected):
    assert people(*args) == expected


def test_metadata_naming_only_the_outlet_falls_back_to_the_pages_byline():
    """MDR's meta author is the outlet ("Mdr De"); the byline in the page names the
    writer, with the desk after a comma."""
    from newsclean.cleaners.extract import extract

    story = "<p>" + "Der Landtag hat am Donnerstag über den neuen Haushalt beraten. " * 10 + "</p>"
    html = (
        '<html><head><title>Haushalt beraten</title><meta name="author" content="MDR.DE">'
        '</head><body><article><h1>Haushalt beraten</h1><p class="author">von '
        '<a href="mailto:david.straub@mdr.de">David Straub</a>, MDR THÜRINGEN</p>'
        f"{story}</article></body></html>"
    )
    assert extract(html, "https://www.mdr.de/nachrichten/x.html").author == "David Straub"


def _page(body: str) -> str:
    return f"<html><head><title>t</title></head><body>{body}</body></html>"


MARKUP_CASES = [
    # each of trafilatura's three author expressions, in their order of trust
    _page('<p>Story</p><span class="author">Jane Doe</span>'),
    _page('<div class="byline">By Jane Doe</div><a rel="author">John Roe</a>'),
    _page('<h3 class="posted-by">Posted by Jane Doe</h3>'),
    _page('<section class="article-byline">Jane Doe and John Roe</section>'),
    _page('<span itemprop="author name">Jane Doe</span>'),
    _page("<author>Jane Doe</author>"),
    # what the pruned copy loses: a date or figure inside the byline, with its tail kept
    _page('<div class="byline">By Jane <time>Jan 2</time>Doe, staff</div>'),
    _page('<div class="byline">By <figure>x</figure>Jane<time>1</time> Doe</div>'),
    # the tail joins the text before it with no space between
    _page('<div class="byline">By Ja<time>1</time>ne Doe</div>'),
    _page('<p class="author"><span class="date">Jan 2</span>Jane Doe</p>'),
    # bylines inside comments, sidebars and quotes are not the article's
    _page(
        '<div id="comments"><span class="author">Commenter One</span></div>'
        '<div class="writer">Jane Doe</div>'
    ),
    _page('<aside><div class="sidebar"><a class="author">Other Writer</a></div></aside>'),
    # too short or too long to be a byline: the next candidate
    _page('<span class="author">JD</span><div class="byline">Jane Doe</div>'),
    _page(f'<span class="author">{"word " * 40}</span><div id="author-box">Jane Doe</div>'),
    # nothing that reads as a byline
    _page("<p>No byline here.</p>"),
]


@pytest.mark.parametrize("html", MARKUP_CASES)
def test_markup_author_decides_as_trafilatura_does(html):
    """markup_author walks the tree once where trafilatura copies, prunes and runs three
    XPath searches: the same answer, and the page's tree left as it was."""
    from lxml import etree
    from trafilatura.metadata import extract_author

    from newsclean.cleaners.author_markup import markup_author
    from newsclean.cleaners.extract import parse_html

    tree = parse_html(html)
    before = etree.tostring(tree)
    assert markup_author(tree) == extract_author(parse_html(html))
    assert etree.tostring(tree) == before


def test_markup_author_equals_trafilatura_on_real_pages():
    """Every fifth page of the development corpora (news and extraction sets)."""
    import gzip
    import json

    from trafilatura.metadata import extract_author

    from newsclean.cleaners.author_markup import markup_author
    from newsclean.cleaners.extract import parse_html
    from tests.conftest import CORPUS, corpus_files

    news = CORPUS / "news.jsonl.gz"
    if not news.exists():
        pytest.skip(f"development news pages not found at {news} (beside the checkout in CI)")
    found = compared = 0
    for path in (news, *corpus_files()):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if n % 5:
                    continue
                tree = parse_html(json.loads(line)["html"])
                if tree is None:
                    continue
                expected = extract_author(tree)
                assert markup_author(tree) == expected
                compared += 1
                found += expected is not None
    assert compared > 350 and found > 150, (compared, found)


# What a byline block prints beside the names, by kind (cleaners/authors.py name_of);
# the examples are what trafilatura's metadata gave on real pages.
NAME_CASES = [
    # a date or a month glued to the name, before or after it
    ("JERUSALEM POST STAFF NOVEMBER", "JERUSALEM POST STAFF"),
    ("Jeff Foust Monday", "Jeff Foust"),
    ("David Edelstein Published Jan", "David Edelstein"),
    ("Jane Doe, 14. März 2024", "Jane Doe"),
    ("Oct 9, 2023 Jane Doe", "Jane Doe"),
    ("Updated Oct 9", None),
    ("Last updated February", None),
    ("Thu Apr 2", None),
    ("January", None),
    ("Dec", None),
    # interface text
    ("View author archive Get author RSS feed", None),
    ("Fox News View author archive Get author RSS feed Name Email Comment", "Fox News"),
    ("View all posts by Daniel Lemire", "Daniel Lemire"),
    ("Lesedauer: 3 Min.", None),
    ("Jane Doe | 5 min read", "Jane Doe"),
    ("Follow Author", None),
    ("Share Tweet Text Share E-mail", None),
    # placeholders
    ("Xxx", None),
    ("Admin", None),
    ("Unknown", None),
    # addresses and what trafilatura makes of them
    ("Mcason Com", None),
    ("jane.doe@example.com", None),
    ("Www Haufe De", None),
    ("Lüder Hoppe info-hoppe de", "Lüder Hoppe"),
    ("Copyright Haufe-Lexware GmbH", None),
    # a job title after the name
    ("Jane Doe, CEO", "Jane Doe"),
    ("Jane Doe - Senior Editor", "Jane Doe"),
    # a job title beside the name with nothing between, before it, or alone
    ("Dylan Stableford Senior Editor", "Dylan Stableford"),
    ("Greg Beacham AP Sports Writer", "Greg Beacham"),
    ("Andrea Stone Senior Washington Correspondent", "Andrea Stone"),
    ("Bill Mears CNN Supreme Court Producer", "Bill Mears"),
    ("AP White House Correspondent Jennifer Loven", "Jennifer Loven"),
    ("Staff Writer", None),
    ("AP National Political Writer", None),
    ("AP Economics Writer", None),
    ("Phil Helsel is a reporter for NBC News", "Phil Helsel"),
    ("FOCUS-Online-Experte Robin Tschöpe", "Robin Tschöpe"),
    # a phrase, not a name
    ("Hecho en Bolivia con Drupal por Smartica", None),
    ("LAURE BRETTON Envoyés spéciaux à Toulouse", None),
    ("Has Worked As A Professional Python Developer Since", None),
    # trap: an organisation's name holds one such word
    ("Centre for Science and Environment", "Centre for Science and Environment"),
    # degrees after the name, or alone where a comma split them off
    ("Lynne Eldridge MD", "Lynne Eldridge"),
    ("RDN", None),
    # a label before the name, and credits that are not the writer's
    ("Post author By Helge Fahrnberger", "Helge Fahrnberger"),
    ("Analysis by Chris Cillizza", "Chris Cillizza"),
    ("Auteur Anna Kubišta", "Anna Kubišta"),
    ("Par AFP publié le", "AFP"),
    ("责任编辑：孔德明", "孔德明"),
    ("Photography by Scott Frances", None),
    ("Rob Ewaschuk Edited by Betsy Beyer", "Rob Ewaschuk"),
    # a reader's comment, the sign-in box, form labels, other languages' "updated"
    ("Art Edwards says", None),
    ("George M left a comment Colin Powell", None),
    ("Sign In", None),
    ("Account You're logged", None),
    ("Username", None),
    ("Uppdaterad", None),
    ("Mis À Jour À", None),
    ("Rocío Latorre Tiempo de lectura", "Rocío Latorre"),
    ("Sara Zinnecker Stand", "Sara Zinnecker"),
    ("Tuesday March", None),
    # code and what is left of an address
    ("Googletag Cmd Push Dfp Ad Pg Author Sec 1", None),
    ("Bradley M Kuhn http", "Bradley M Kuhn"),
    ("María Reina maria carrasquilla com pa", "María Reina"),
    ("Redacción La Razón 2", "Redacción La Razón"),
    # a month no one is named after, after one word: what "and" left of a date
    ("Mail December", None),
    ("Pakistan January", None),
    # how long ago, a contributor's credit, a call sign before "By", another language's
    # "writes"
    ("Piše P Mucović prije", "P Mucović"),
    ("Jane Doe 3 hours ago", "Jane Doe"),
    ("SAEED SHAH Special to The Globe", "SAEED SHAH"),
    ("LOEY LOCKERBY Special", "LOEY LOCKERBY"),
    ("WABC By Eyewitness News", "Eyewitness News"),
    # a Korean or Chinese byline: the outlet before "=", the job title beside the name
    ("스포츠조선=선수민 기자", "선수민"),
    ("记者 张三", "张三"),
    # the sections a CMS files the story under
    ("Features", None),
    ("Love News", None),
    ("News-analysis tech", None),
    # traps: a surname that is a month, a month after a name of two words, a desk whose
    # words are no section's, "von" before a name, a credit of photographs
    ("June Special", "June Special"),
    ("Anna Hace", "Anna Hace"),
    ("Gear Team", "Gear Team"),
    ("Courtney Love", "Courtney Love"),
    ("Photography by Scott Frances", None),
    # traps: names that are, or hold, calendar words; desks and agencies as printed
    ("Maya May", "Maya May"),
    ("Will Sunday", "Will Sunday"),
    ("April Ryan", "April Ryan"),
    ("Jan Smith", "Jan Smith"),
    ("June Carter", "June Carter"),
    ("dpa", "dpa"),
    ("AOL Staff", "AOL Staff"),
    # traps: a surname that is a credential, a word of a comment or a role's qualifier
    ("Jack Ma", "Jack Ma"),
    ("Edward Said", "Edward Said"),
    ("Tom Senior", "Tom Senior"),
    ("Teufel Editorial Team", "Teufel Editorial Team"),
    ("FT reporters", "FT reporters"),
    ("Ursula von der Leyen", "Ursula von der Leyen"),
    ("Prefeitura Municipal de Jaraguá do Sul", "Prefeitura Municipal de Jaraguá do Sul"),
    ("Anna-Lena Reporter-Schmidt", "Anna-Lena Reporter-Schmidt"),
]


@pytest.mark.parametrize("entry, expected", NAME_CASES, ids=[c[0][:30] for c in NAME_CASES])
def test_a_byline_entry_keeps_only_the_name(entry, expected):
    assert name_of(entry) == expected


def test_the_names_of_a_byline_with_dates_and_addresses_around_them():
    url = "https://www.example.com/x"
    assert people("Mike Wuerthele; Malcolm Owen Monday; November", url) == (
        "Mike Wuerthele; Malcolm Owen"
    )
    assert people("David Lassman; Dlassman Com", url) == "David Lassman"
    assert people("Last Updated January 7", url) is None


PEOPLE_CASES = [
    # markup or code where the byline should be: nobody
    ("Lt; A Data-Track-Gtm; Quot; Byline; Href; Https; About-Patrick-J-Kiger Htm; Patrick J Kiger",
     "https://www.example.com/x", None, None),
    ("Var Byline = 'Steve Kichen; If Document Writebyline Replace; Steve Kichen",
     "https://www.example.com/x", None, None),
    # the publisher's address, and a company's suffix split off at a comma
    ("SPIEGEL ONLINE; Hamburg; Germany", "https://www.spiegel.de/x", None, None),
    ("GIROMATCH; Frankfurt a M; Germany", "https://www.giromatch.com/x", None, None),
    ("Jane Doe; Haufe-Lexware GmbH; Co KG", "https://www.example.de/x", None,
     "Jane Doe; Haufe-Lexware GmbH"),
    ("Grant Tinsley; PhD", "https://www.example.com/x", None, "Grant Tinsley"),
    # the outlet glued after the name: a wire service, "The ...", the site's name
    ("TOM CANAVAN ASSOCIATED PRESS", "https://www.example.com/x", None, "TOM CANAVAN"),
    ("MIRJAM SWANSON THE PRESS-ENTERPRISE", "https://www.pe.com/x", None, "MIRJAM SWANSON"),
    ("David Ferrara Las Vegas Review-Journal", "https://www.reviewjournal.com/x",
     "Las Vegas Review-Journal", "David Ferrara"),
    ("Hans Pennink Hans Pennink", "https://www.example.com/x", None, "Hans Pennink"),
    ("Ed Hornick CNN", None, None, "Ed Hornick"),
    ("SIBYLLA BRODZINSKY; FRANCES ROBLES McClatchy Newspapers", "https://www.example.com/x",
     None, "SIBYLLA BRODZINSKY; FRANCES ROBLES"),
    # the CMS's sections beside the writer, or the outlet and its sections alone
    ("Features; Luke Morton", "https://teamrock.com/x", None, "Luke Morton"),
    ("ELLE com; Life; Love News", "https://www.elle.com/x", None, None),
    ("SAEED SHAH Special; Mail December", "https://www.example.com/x", None, "SAEED SHAH"),
    # two people joined by "and" in another language
    ("Isabel Caro; Rocío Latorre y José Miguel Wilson Tiempo de lectura",
     "https://www.example.cl/x", None,
     "Isabel Caro; Rocío Latorre; José Miguel Wilson"),
    # traps: the outlet as the whole byline; words before the site's name that are no
    # name; an organisation joined by "und"; a name over a city between two writers
    ("The Associated Press", "https://www.example.com/x", None, "The Associated Press"),
    ("Un documentaire de Kristen Falchon", "https://www.arteradio.com/x", "Kristen Falc'hon",
     "Un documentaire de Kristen Falchon"),
    ("Kirche und Leben", "https://www.example.de/x", None, "Kirche und Leben"),
    ("Jane Doe; Dresden; John Roe", "https://www.example.de/x", None, "Jane Doe; Dresden; John Roe"),
]  # fmt: skip


@pytest.mark.parametrize("author, url, site_name, expected", PEOPLE_CASES,
                         ids=[c[0][:30] for c in PEOPLE_CASES])  # fmt: skip
def test_the_people_of_an_author_field(author, url, site_name, expected):
    assert people(author, url, site_name) == expected
