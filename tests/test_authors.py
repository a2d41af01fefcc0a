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
]  # fmt: skip


@pytest.mark.parametrize("args, expected", CASES, ids=[str(c[0][0])[:30] for c in CASES])
def test_people_only(args, expected):
    assert people(*args) == expected
