"""Written-out dates that htmldate's full search hands to dateparser (cleaners/dates.py):
read in the languages whose month names the string holds, with the same answer as
dateparser over all its locales, and on a real page."""

from __future__ import annotations

from datetime import datetime

import htmldate.extractors
import pytest
from htmldate.extractors import get_external_parser

from newsclean.cleaners.dates import _month_language_date, languages_of
from newsclean.cleaners.extract import extract

# strings htmldate's full search passed to dateparser on the development corpus
WRITTEN = [
    ("Miércoles, 15 de Abril de 2020", datetime(2020, 4, 15)),
    ("/ jueves 2 de abril de 2020", datetime(2020, 4, 2)),
    ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", datetime(2020, 10, 7, 12, 9)),
    ("2016年10月14日07:17", datetime(2016, 10, 14, 7, 17)),
    ("12/28/2005 3:13:17", datetime(2005, 12, 28, 3, 13, 17)),
    ("Article Launched: 12/30/2007 01:50:35", None),
    ("Copyright © 2001 - 2020 n2", None),
    ("40-jähriges Jubiläum 2008", None),
]


@pytest.mark.parametrize(("string", "expected"), WRITTEN)
def test_a_written_date_reads_as_dateparser_reads_it_in_every_locale(string, expected):
    assert _month_language_date(string) == expected
    assert get_external_parser().get_date_data(string)["date_obj"] == expected


def test_the_languages_asked_are_those_of_the_month_names():
    assert "es" in languages_of("Miércoles, 15 de Abril de 2020")
    assert "en" not in languages_of("Miércoles, 15 de Abril de 2020")
    assert languages_of("الأربعاء، 07 أكتوبر 2020") == ("ar",)
    assert set(languages_of("2016年10月14日07:17")) >= {"zh", "ja"}
    assert languages_of("12/28/2005 3:13:17") is None  # no letters: every date order
    assert languages_of("Copyright 2023 - 5") == ()  # words, no month: no date
    # only languages newsclean detects: "Abril" is also Asturian, Kabuverdianu, Sena, ...
    asked = languages_of("Viernes, 22 de Abril de 2022")
    assert {"es", "pt", "ca"} <= set(asked) and not {"ast", "kea", "seh", "qu"} & set(asked)
    assert "nb" in languages_of("7. januar 2021")  # langdetect's Norwegian, as Bokmål


def test_a_page_that_prints_its_date_in_spanish_gets_it_from_the_full_search():
    body = "".join(
        f"<p>Párrafo {i} sobre el nuevo plan de la ciudad para los carriles de bicicleta, "
        "aprobado tras un año de debate entre vecinos y comerciantes.</p>"
        for i in range(6)
    )
    html = (
        "<html><head><title>Aprueban los carriles bici</title></head><body><article>"
        f"<h1>Aprueban los carriles bici</h1>{body}<p class='fecha'>Miércoles, 15 de Abril "
        "de 2020</p></article></body></html>"
    )  # (the date after the story: under the headline, headline_date would read it)
    got = extract(html, "https://diario.example/ciudad/carriles")
    assert (got.date, got.provenance["date"]) == ("2020-04-15", "htmldate_extensive")
    # htmldate's external parse now asks only the string's month languages
    assert htmldate.extractors._external_date is _month_language_date
