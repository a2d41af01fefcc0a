"""Boilerplate lines, table-driven: (line, rule that cuts it); and prose that stays."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.cleaners import boilerplate as B
from newsclean.cleaners.boilerplate import boilerplate_rule
from newsclean.cleaners.rules.needs import ASCII_EQUIVALENTS

CUT = [
    ("Share this article", "share_prompt"),
    ("Share on Facebook", "share_prompt"),
    ("Tweet", "share_prompt"),
    ("- Print Article", "share_prompt"),
    ("Follow us on Twitter", "share_prompt"),
    ("Follow The Gleaner on Twitter and Instagram @JamaicaGleaner", "share_prompt"),
    ("Teilen mit:", "share_prompt"),
    ("GET FOX BUSINESS ON THE GO BY CLICKING HERE", "share_prompt"),
    ("Subscribe to our newsletter", "subscribe_prompt"),
    # the publisher's own newsletter after a lead-in, and subscription offers
    (
        "For the latest breaking news and stories from across the globe from the Daily Star, "
        "sign up for our newsletters .",
        "subscribe_prompt",
    ),
    (
        "Check out more of the Daily Star’s latest travel stories by signing up to our free "
        "weekly newsletter",
        "subscribe_prompt",
    ),
    ("Get Data Sheet, Fortune’s technology newsletter.", "subscribe_prompt"),
    ("Headlines in Your Inbox: Sign up for our e-mail alerts.", "subscribe_prompt"),
    (
        "this media player requires Flash player version 6 or greater, click here to get "
        "Flash player",
        "browser_notice",
    ),
    ("Please enable JavaScript to view the comments powered by Disqus.", "browser_notice"),
    ("Your browser does not support the video tag.", "browser_notice"),
    (
        "Follow Mike Wall on Twitter @michaeldwall and Google+. Follow us @Spacedotcom, "
        "Facebook or Google+. Originally published on Space.com.",
        "social_signoff",
    ),
    (
        "Email Sarah Lewin at slewin@space.com or follow her @SarahExplains. Follow us "
        "@Spacedotcom, Facebook and Google+. Original article on Space.com.",
        "social_signoff",
    ),
    (
        "Email gamecentral@ukmetro.co.uk, leave a comment below, and follow us on Twitter",
        "social_signoff",
    ),
    ("Click to subscribe", "subscribe_prompt"),
    ("Copyright and Trade Mark Notice", "copyright"),
    ("COPYRIGHT", "copyright"),
    ("Related News", "read_more"),
    ("Also read these stories:", "read_more"),
    ("RELATED POSTS ON THE INQUISITR", "read_more"),
    ("Sign up for breaking news, reviews, opinion, top tech deals, and more.", "subscribe_prompt"),
    ("JANUARY SALE!! Subscribe to The Age and save over 70%*", "subscribe_prompt"),
    ("Subscribe now and get 1 year of New York Magazine for ONLY $17.97!", "subscribe_prompt"),
    ("Sign up for our daily briefing", "subscribe_prompt"),
    ("PC Gamer Newsletter", "subscribe_prompt"),
    ("Zum Newsletter anmelden", "subscribe_prompt"),
    ("Thanks for signing up!", "subscribe_prompt"),
    ("To view the full story, please subscribe to The Haitian Times.", "subscribe_prompt"),
    (
        "If you’re seeing this message but you’re already a subscriber, you can log in.",
        "subscribe_prompt",
    ),
    ("Do you want to be informed of DiEM25's actions? Sign up here", "subscribe_prompt"),
    ("Read more: Uranium prices hit a twelve-year high", "read_more"),
    ("Related: Why the summit matters", "read_more"),
    ("READ MORE", "read_more"),
    ("Lesen Sie auch: Die Bahn streikt wieder", "read_more"),
    ("LE PUEDE INTERESAR: La ficha de Juan Orlando Hernández", "read_more"),
    ("NOTAS RELACIONADAS", "read_more"),
    ("Schon gelesen?", "read_more"),
    ("DON'T MISS", "read_more"),
    ("China furious at Macron for Hong Kong protest jibe [INSIGHT]", "read_more"),
    ("Читайте также: Новые правила вступят в силу", "read_more"),
    ("Leave a comment", "comment_prompt"),
    ("12 Comments", "comment_prompt"),
    ("Du musst Eingeloggt sein um Kommentare zu schreiben!", "comment_prompt"),
    ("23.10.2018", "metadata_line"),
    ("PUBLISHED: March 21, 2017 at 9:41 pm | UPDATED: March 21, 2017 at 9:51 pm", "metadata_line"),
    ("posted on April 21, 2015, at 11:29 a.m.", "metadata_line"),
    ("2025-11-06 14:30", "metadata_line"),
    ("Kategorie: News", "metadata_line"),
    ("Aktualisiert am 17.01.2021.", "metadata_line"),
    ("5 min read", "metadata_line"),
    ("05/10/2018 - Publicado por: Clarissa Borba - Categoria: Saúde - Tags: sad", "metadata_line"),
    ("aja/PAP", "agency_signature"),
    ("(dpa)", "agency_signature"),
    # a link's own words, and a label whose date stands apart (2008 portals, abc.net.au)
    ("Click here for more from the New York Post.", "subscribe_prompt"),
    ("| News Alerts by Email click here ) |", "subscribe_prompt"),
    (
        "Watch Anderson Cooper 360 weeknights 10pm ET. For the latest from AC360 click here.",
        "subscribe_prompt",
    ),
    ("CLICK HERE TO GET THE FOX NEWS APP", "subscribe_prompt"),
    ("Posted", "metadata_line"),
    ("(Corrects 10th paragraph to show the Wii is from Nintendo, not Sony.)", "metadata_line"),
    ("(Updates with closing prices)", "metadata_line"),
    ("Updated:", "metadata_line"),
    # a line that is only a credit: wire copy's byline, its closing credit, a photo's
    ("ASSOCIATED PRESS", "credit_line"),
    ("Associated Press", "credit_line"),
    ("AP", "credit_line"),
    ("AAP", "credit_line"),
    ("- REUTERS", "credit_line"),
    ("GETTY", "credit_line"),
    ("POOL", "credit_line"),
    (
        "We use cookies to improve your experience. By continuing you agree to our cookie policy.",
        "cookie_notice",
    ),
    ("Accept all cookies", "cookie_notice"),
    ("Diese Website verwendet Cookies, um Ihnen das beste Erlebnis zu bieten.", "cookie_notice"),
    ("© 2025 Sample Gazette. All rights reserved.", "copyright"),
    ("Copyright 2019 Hawaii News Now. All rights reserved.", "copyright"),
    ("© Reuters", "copyright"),
    ("Alle Rechte vorbehalten.", "copyright"),
    ("This copy is for your personal, non-commercial use only.", "copyright"),
    # a label and a time stamp, nothing else
    ("POSTED: 8:21 am EST January 2,", "metadata_line"),
    ("Updated 10:15 a.m. ET, Mon January 14, 2008", "metadata_line"),
    ("Published 01/14/2008 10:15 AM", "metadata_line"),
    # the same lines in a layout table's cells, as trafilatura writes them
    ("| | Print article |", "share_prompt"),
    ("| © Copyright 2008 Sportbox.tv |", "copyright"),
    ("Print | Email", "share_prompt"),
    ("| Share this article \\| Print |", "share_prompt"),
    # 2008 article toolbars and portal footers (news pages' leftover lines)
    ("| E-mail this Story \\| Print this Story \\| Post a comment |", "share_prompt"),
    ("| | Email this article | | Printer friendly format |", "share_prompt"),
    ("| Share this article on |", "share_prompt"),
    ("- Email this article", "share_prompt"),
    ("| Subscribe |", "subscribe_prompt"),
    ("Newsletter", "subscribe_prompt"),
    ("| FREE Tech Newsletters |", "subscribe_prompt"),
    ("Subscribe to the Sport RSS feed", "subscribe_prompt"),
    ("Subscribe to local news e-mail alerts", "subscribe_prompt"),
    ("| More India (Sports) News click here |", "subscribe_prompt"),
    (
        "Search for more stories on this topic on Newstext, our news archive service. Click here",
        "subscribe_prompt",
    ),
    ("| Click Here to try 4 Free Trial Issues of Time! | |", "subscribe_prompt"),
    ("» Click here to search for this article within the archive.", "subscribe_prompt"),
    ("Sign up for StreetInsider Free!", "subscribe_prompt"),
    ("Don't miss out - sign up today.", "subscribe_prompt"),
    ("See Also:", "read_more"),
    ("RELATED:", "read_more"),
    ("Most popular stories right now", "read_more"),
    ("More from Newsweek", "read_more"),
    ("Read more from Yahoo News:", "read_more"),
    ("Discuss this story", "comment_prompt"),
    # layout-table navigation and time stamps (2005 Forbes, BBC pages)
    ("| ----------------- | | |", "layout_residue"),
    ("| | Home>Lifestyle>Vehicles | | | | | |", "navigation"),
    ("| | 1 of 1 | |", "navigation"),
    ("^ Back to top", "navigation"),
    ("| Last Updated: Wednesday, 12 October 2005, 08:23 GMT 09:23 UK |", "metadata_line"),
    ("| Page last updated at 02:18 GMT, Tuesday, 10 March 2009 |", "metadata_line"),
    ("| | Free Trial Issue of Forbes | | Forbes Gift Subscription |", "subscribe_prompt"),
    # a layout table's row of labels between spacer cells (2008 portal menus, toolbars)
    (
        "| Home | | News | | Canada AM | | W-FIVE | | Weather | | Video | | Sports |",
        "table_navigation",
    ),
    ("| Home | | | | Football | | | | Cricket | | | | Rugby union |", "table_navigation"),
    ("| SEARCH | | QUOTES & RESEARCH |", "table_navigation"),
    ("| < Prev Content | | Next Content > |", "table_navigation"),
    ("| PHOTOS | | VIDEO | | PHOTO ESSAYS |", "table_navigation"),
]

KEPT = [
    "The minister said on Monday that the talks would resume next week in Geneva.",
    "Share prices fell 3% on Tuesday after the company cut its forecast.",
    "Shares of the company rose after the announcement, traders said.",
    "Follow-up talks are planned for next month in Vienna.",
    "Subscribers to the service will pay more from January, the company said.",
    "Published March 21, 2017 at 9:41 pm, the report found the council had overspent.",
    # traps for the browser notice: stories about Flash and browsers
    "The game requires Flash, which Apple refused to support on the iPhone, critics said.",
    "Enable JavaScript and the site works, the developers told users on Monday, but many "
    "readers say they will not turn it on for a page that tracks them.",
    # traps for the sign-off: prose that follows something, or gives an address
    "Follow the money, investigators said, and you find the same names again and again.",
    "Email the council at info@example.gov, the mayor said, or come to Monday's hearing.",
    # traps for the labels of links: prose that starts like them
    "Related news outlets reported the same figures on Monday.",
    "Copyright and trademark lawyers said the ruling would be appealed.",
    "Click to subscribe buttons were hidden by the redesign, users complained.",
    # traps for the newsletter and offer rules: a story about newsletters and prices
    "More than two million readers sign up for the newsletter each year, the company said.",
    "Readers who subscribe before March pay 20% less, the publisher announced on Monday, "
    "and the price of a single copy rises to $3 in the spring for everyone else.",
    "Get the facts before you vote, the commission urged, and read its newsletter.",
    "Read more about the history of the accords in our explainer, the editors wrote, adding that a full archive of coverage and documents was available to all readers online.",
    "Related companies in the sector also reported losses in the quarter.",
    "The bakery's cookies were a hit at the fair, the organisers said.",
    "The court ruled that copyright law applies to the photographs.",
    "Comments by the minister drew criticism from the opposition on Monday.",
    "Category winners will be announced at the ceremony in December.",
    "4:14 p.m.",
    "Print media have lost readers to online outlets for two decades.",
    "1. The first step is to print the form and sign it.",
    "Don't miss the final episode, the director urged fans on Sunday evening.",
    "Updated: January 2, 2008 - the company said it would cut jobs",
    "Posted in January 2008 by the agency, the photo went round the world.",
    "Updated figures show the economy grew by 2% in the quarter.",
    # traps for the toolbar and portal rules: prose that starts like them
    "More from the front line came late on Sunday, officials said.",
    "Email this to your doctor before the visit, the study suggests.",
    "Subscribe to the idea that markets correct themselves, and you will wait a long time.",
    "Newsletters from the ministry reached every school by March.",
    "See also the report of the commission published in 2007 on the same subject.",
    "Related party transactions rose sharply, the auditors found.",
    "Illinois | Print this story \\| Email this story \\| Discuss Story",
    "Home sales rose 4% in March, the agency said.",
    "3 of 4 people surveyed said they would vote.",
    "Last updated in 2008, the rules were changed again by the council at 10:30 in a vote.",
    "Top of the class: the school's results were the best in the county.",
    # traps for the click-here and label rules: prose that mentions a link, a byline
    "Click here and the menu opens, the manual says, before the next step of the installation can start.",
    "Readers were warned not to click here or anywhere else on the fake site, which the police said was set up last week to click here",
    "Posted by John Smith",
    "(Adds up to more than the budget allows, the auditors said.) The minister disagreed.",
    "Updates with closing prices were sent to clients every hour.",
    "Updated figures came in on Monday.",
    # traps for credit_line: agency names that are words, lowercase, or inside prose
    "Pool",
    "Trend",
    "pool",
    "| Pool | Spa |",
    "associated press",
    "AP Photo",
    "Reuters said the deal was worth $2 billion.",
]


@pytest.mark.parametrize("line, rule", CUT)
def test_boilerplate_line_is_cut_by_its_rule(line, rule):
    assert boilerplate_rule(line) == rule


@pytest.mark.parametrize("line", KEPT)
def test_prose_is_kept(line):
    assert boilerplate_rule(line) is None


@pytest.mark.parametrize("line", ["| |", "|", "| | |", "|  ¦ |"])
def test_layout_table_residue_is_cut(line):
    assert boilerplate_rule(line) == "layout_residue"


@pytest.mark.parametrize(
    "line",
    [
        "a | b",
        "| Total | 12 |",
        "Results | Standings",
        # a cell of prose beside a prompt, a headline in a cell: kept whole
        "Share | The council met on Monday and decided to build the bridge",
        "| Toyota to unveil concept truck at show |",
        # a data table's rows: a header of adjacent labels, a label and its empty
        # cells, scores (from real pages: a status matrix, a car's data sheet)
        "| | General UX | UX draft | UX review | UI mockup |",
        "| Load map | | | | | | | | |",
        "| Technische Daten | |",
        "| Arsenal | 2 | | Chelsea | 1 |",
        "| The council met. | | The bridge opens in May. |",
    ],
)
def test_table_rows_with_words_stay(line):
    assert boilerplate_rule(line) is None


def test_a_wire_byline_above_the_dateline_goes_and_the_dateline_with_it():
    """A 2008 wire story prints its agency on a line of its own above the dateline; with
    the credit cut, the dateline opens the body and is parsed and cut too."""
    from newsclean.cleaners.pipeline import clean_body

    body = clean_body(
        [
            "ASSOCIATED PRESS",
            "WASHINGTON -- The Senate passed the budget bill late on Tuesday after a long debate.",
            "The vote was 61 to 38.",
            "AAP",
        ]
    )
    assert body.lines == [
        "The Senate passed the budget bill late on Tuesday after a long debate.",
        "The vote was 61 to 38.",
    ]
    assert [(r.rule, r.text) for r in body.removed] == [
        ("credit_line", "ASSOCIATED PRESS"),
        ("dateline", "WASHINGTON --"),
        ("credit_line", "AAP"),
    ]


# -- the guards: a scanning pattern is left out only for lines that cannot match it -----


def test_the_ascii_equivalents_are_every_letter_re_folds_onto_ascii():
    import sys

    found = {
        (chr(cp), chr(cp).lower() if chr(cp).lower().isascii() else None)
        for cp in range(0x80, sys.maxunicode + 1)
        if re.fullmatch("[a-z]", chr(cp), re.IGNORECASE)
    }
    assert {char for char, _ in found} == {char for char, _ in ASCII_EQUIVALENTS}
    for char, letter in ASCII_EQUIVALENTS:
        assert re.fullmatch(letter, char, re.IGNORECASE)


def test_each_scanning_pattern_names_the_strings_it_needs():
    guarded = {B._PATTERNS[n][1] for n in B._GUARD_OF}
    # the patterns whose match may start anywhere in the line are the guarded ones
    assert r"^.*\ball rights reserved\b.*$" in guarded
    assert B._GUARD_OF[next(n for n, (_, p) in enumerate(B._PATTERNS) if p in guarded)]
    assert all(len(s) >= 3 and s == s.lower() for needs in B._GUARD_OF.values() for s in needs)


def _unguarded(line: str) -> str | None:
    """The rule of the line with every pattern of its length tried (no guard)."""
    line = B._BULLET.sub("", line, count=1)
    words = min(len(line.split()), B._MOST_WORDS)
    for k, expression in B._PATTERNS:
        if words <= B._RULES[k][1] and re.match(expression, line, re.IGNORECASE):
            return B._RULES[k][0]
    return None


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        # letters that match an ASCII one ignoring case, inside the needed strings
        ("We uſe cookies to improve your experience.", "cookie_notice"),
        ("CLIC\u212a HERE", "subscribe_prompt"),
        ("All Rİghts Reserved 2024", "copyright"),
        ("You can ſign up for the morning newsletter here", "subscribe_prompt"),
    ],
)
def test_a_line_with_letters_re_folds_onto_ascii_is_cut_as_without_guards(line, rule):
    assert _unguarded(line) == rule
    assert boilerplate_rule(line) == rule


FRAGMENTS = [
    "cookie",
    "cookies",
    "we use",
    "click here",
    "sign up for",
    "newsletter",
    "all rights",
    "reserved",
    "posted by",
    ":",
    "[video]",
    "©",
    "2024",
    "ſ",
    "K",
    "İ",
    "ı",
    "the story",
    "ALL RIGHTS RESERVED",
    "by continuing",
    "you agree",
    "|",
    "read more",
    "gift",
    "subscription",
    "weiter lesen",
    "...",
    " ",
    "privacy policy",
    "Publicado por",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=14))
def test_the_guards_never_change_a_lines_rule(parts):
    for line in (" ".join(parts), "".join(parts)):
        assert B._line_rule(line) == _unguarded(line)
