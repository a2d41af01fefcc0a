"""The metadata rules as declared lists (cleaners/extract.py: TITLE_RULES, DATE_RULES,
AUTHOR_RULES) and their one composer (cleaners/compose.py): the value and the rule it
came from."""

from __future__ import annotations

from newsclean.cleaners.compose import Rule, first, refine
from newsclean.cleaners.extract import AUTHOR_RULES, DATE_RULES, TITLE_RULES, extract

BODY = "".join(
    f"<p>Paragraph {i} of the council's plan for new cycle lanes, which the city approved "
    f"on Monday after a year of debate among residents and shop owners.</p>"
    for i in range(6)
)


def _page(head: str = "", body_top: str = "") -> str:
    return (
        f"<html><head><title>Council approves cycle lanes | City Paper</title>{head}</head>"
        f"<body><article><h1>Council approves cycle lanes</h1>{body_top}{BODY}</article>"
        "</body></html>"
    )


def test_each_concern_is_one_ordered_list_of_named_rules():
    assert [r.name for r in TITLE_RULES] == [
        "headline",
        "opening_headline",
        "page_heading",
        "first_block",
        "trimmed",
        "unescaped",
        "printed_headline",
        "declared_headline",
    ]
    assert [r.name for r in DATE_RULES] == [
        "json_ld",
        "trackback_rdf",
        "headline_date",
        "htmldate",
        "htmldate_extensive",
    ]
    assert [r.name for r in AUTHOR_RULES] == [
        "metadata",
        "byline_markup",
        "opening_byline",
        "json_ld_byline",
        "source_credit",
    ]


def test_first_takes_the_first_evidence_and_names_it():
    rules = (Rule("a", lambda c: None), Rule("b", lambda c: c * 2), Rule("c", lambda c: 0))
    assert first(rules, 21) == (42, "b")
    assert first(rules[:1], 21) == (None, None)


def test_refine_names_the_last_rule_that_changed_the_value():
    rules = (
        Rule("upper", lambda c, v: v.upper()),
        Rule("same", lambda c, v: v),
        Rule("strip", lambda c, v: v.strip("!")),
    )
    assert refine(rules, None, "hi!", "input") == ("HI", "strip")
    assert refine(rules[1:2], None, "hi", "input") == ("hi", "input")


def test_a_json_ld_date_is_the_publishers_statement():
    ld = (
        '<script type="application/ld+json">{"datePublished": "2024-03-05T23:30:00-05:00"}</script>'
    )
    got = extract(_page(ld), "https://citypaper.example/2024/03/07/cycle-lanes")
    assert got.date == "2024-03-05"
    assert got.provenance["date"] == "json_ld"


def test_without_a_declaration_htmldate_reads_the_url():
    got = extract(_page(), "https://citypaper.example/2024/03/07/cycle-lanes")
    assert (got.date, got.provenance["date"]) == ("2024-03-07", "htmldate")


def test_the_title_and_where_it_came_from():
    url = "https://citypaper.example/2024/03/07/cycle-lanes"
    got = extract(_page(), url)
    assert (got.title, got.provenance["title"]) == ("Council approves cycle lanes", "metadata")
    # the og:title carries the site's name: the headline rule cuts it
    og = '<meta property="og:title" content="Council approves cycle lanes | City Paper">'
    got = extract(_page(og), url)
    assert (got.title, got.provenance["title"]) == ("Council approves cycle lanes", "headline")
    # the og:title is the site's name: the page's own heading
    got = extract(_page('<meta property="og:title" content="City Paper">'), url)
    assert (got.title, got.provenance["title"]) == ("Council approves cycle lanes", "page_heading")


def test_a_byline_in_the_markup_when_the_metadata_names_no_one():
    byline = '<p class="byline">By Jane Doe and John Smith</p>'
    got = extract(_page(body_top=byline), "https://citypaper.example/2024/03/07/cycle-lanes")
    assert got.author == "Jane Doe; John Smith"
    assert got.provenance["author"] == "byline_markup"
    meta = '<meta name="author" content="Ann Example">'
    got = extract(_page(meta, byline), "https://citypaper.example/2024/03/07/cycle-lanes")
    assert (got.author, got.provenance["author"]) == ("Ann Example", "metadata")


def _ld(author: str, graph: str = "") -> str:
    return (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        f'{{"@type": "NewsArticle", "headline": "Council approves cycle lanes", "author": {author}}}'
        f"{graph}]}}</script>"
    )


URL = "https://www.citypaper.example/2024/03/07/cycle-lanes"


def test_a_byline_printed_as_the_storys_first_paragraph():
    """A bold paragraph of names before the story's first paragraph (a standfirst in
    italics may come before it), where the metadata names only the outlet."""
    head = _ld('{"@id": "#p1"}', ', {"@type": "Person", "@id": "#p1", "name": "City Paper"}')
    top = "<p><em>A year of debate ends</em></p><p><strong>Jane Doe/John Roe</strong></p>"
    got = extract(_page(head, top), URL)
    assert (got.author, got.provenance["author"]) == ("Jane Doe; John Roe", "opening_byline")


def test_a_bold_subheading_is_not_a_byline():
    """The same place, but a label, or a line after the story has begun."""
    for top in (
        "<p><strong>Key points</strong></p>",
        "<p><strong>Climate Change 2050</strong></p>",
    ):
        got = extract(_page(body_top=top), URL)
        assert got.author is None, top
    late = BODY + "<p><strong>Jane Doe</strong></p>" + BODY
    got = extract(_page(body_top=late), URL)
    assert got.author is None


def test_the_outlet_signs_where_no_person_is_credited():
    """The JSON-LD names the outlet (by the site's name, or as an organisation): that desk
    byline, as printed; beside a person, the outlet goes."""
    got = extract(_page(_ld('{"@type": "Person", "name": "citypaper.example"}')), URL)
    assert (got.author, got.provenance["author"]) == ("citypaper.example", "json_ld_byline")
    got = extract(_page(_ld('{"@type": "Organization", "name": "Wire Service"}')), URL)
    assert got.author == "Wire Service"
    both = '[{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "City Paper"}]'
    got = extract(_page(_ld(both)), URL)
    assert got.author == "Jane Doe"
    # no article node: a WebSite's publisher is nobody's byline
    site = '{"@type": "WebSite", "name": "City Paper", "author": "City Paper"}'
    page = _page(f'<script type="application/ld+json">{site}</script>')
    assert extract(page, URL).author is None


def _kicker_page(ld_headline: str) -> str:
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        f'"headline": "{ld_headline}"}}</script>'
    )
    return (
        "<html><head><title>Cycle lanes: Council approves the plan</title>"
        '<meta property="og:title" content="Cycle lanes: Council approves the plan">'
        f"{ld}</head><body><article><h1>Council approves the plan</h1>{BODY}</article>"
        "</body></html>"
    )


def test_the_publishers_agreeing_statements_stand_over_the_printed_heading():
    """The meta title and the JSON-LD headline agree, kicker and all: that is the title;
    where they disagree the h1 the <title> carries is."""
    got = extract(_kicker_page("Cycle lanes: Council approves the plan"), URL)
    assert (got.title, got.provenance["title"]) == (
        "Cycle lanes: Council approves the plan",
        "declared_headline",
    )
    got = extract(_kicker_page("Council approves cycle lanes plan"), URL)
    assert (got.title, got.provenance["title"]) == ("Council approves the plan", "headline")


def test_json_ld_authors_of_any_shape_are_read_or_passed_over():
    """A publisher's JSON-LD of odd shapes (a reference that is not a string, a name in a
    list, a number, a null) never breaks a page: what reads as a name is used."""
    cases = {
        '{"@id": ["#p1"]}': None,
        '{"@id": {"x": 1}}': None,
        '{"name": ["Jane Doe"]}': "Jane Doe",  # trafilatura's metadata reads the list
        "42": None,
        '[null, {"@type": "Organization", "name": "Wire Service"}]': "Wire Service",
    }
    for author, expected in cases.items():
        assert extract(_page(_ld(author)), URL).author == expected, author


def test_json_ld_nested_past_any_parsers_depth_is_passed_over():
    """100,000 nested arrays (past json's recursion limit) are no JSON-LD to read; 900
    around an article's author (within it) are read, walked without recursion."""
    got = extract(
        _page(f'<script type="application/ld+json">{"[" * 100_000}{"]" * 100_000}</script>'), URL
    )
    assert got is not None and got.author is None
    deep = (
        f'{{"@type": "NewsArticle", "author": {{"name": "Jane Doe"}}, "x": {"[" * 900}{"]" * 900}}}'
    )
    page = _page(f'<script type="application/ld+json">{deep}</script>')
    assert extract(page, URL).author == "Jane Doe"


def test_a_credit_of_sources_gives_way_to_the_outlets_signature():
    """`Quelle: sid/dpa` in the byline's place credits the story's sources; the page's
    JSON-LD names the outlet as the author (an organisation): the outlet signs. Where
    nobody else does, the sources credited are the byline (wire copy)."""
    credit = '<div class="backlink__author">Quelle: sid/dpa</div>'
    outlet = _ld('{"@type": "Organization", "name": "citypaper.example"}')
    got = extract(_page(outlet, credit), URL)
    assert (got.author, got.provenance["author"]) == ("citypaper.example", "json_ld_byline")
    got = extract(_page(body_top=credit), URL)
    assert (got.author, got.provenance["author"]) == ("sid; Dpa", "source_credit")
    # a byline that is not a credit of sources stays where it was in the order
    byline = '<div class="backlink__author">Jane Doe</div>'
    got = extract(_page(outlet, byline), URL)
    assert (got.author, got.provenance["author"]) == ("Jane Doe", "byline_markup")


def test_is_source_credit():
    from newsclean.cleaners.authors import is_source_credit

    assert is_source_credit("Quelle: sid/dpa")
    assert is_source_credit("Source: Reuters")
    assert is_source_credit("Quelle sid; Dpa")  # as trafilatura's author cleaning leaves it
    assert not is_source_credit("Jane Doe")
    assert not is_source_credit("Sourcegraph staff")
    assert not is_source_credit(None)
