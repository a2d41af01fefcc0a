"""Bylines as people: outlets, job titles and repeats out, names in reading order; traps
(a person whose name starts like the site's) stay."""

from __future__ import annotations

import pytest

from newsclean.cleaners.authors import people

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
