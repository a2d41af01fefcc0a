"""Advertisement lines, table-driven: labels in many languages and spellings, sponsor
labels, ad-slot phrases and disclosures; and sentences about advertising that stay."""

from __future__ import annotations

import pytest

from newsclean.cleaners.ads import is_ad_label

AD_LINES = [
    "Advertisement",
    "ADVERTISEMENT",
    "advertisement",
    "Advertisment",
    "Advertisements",
    "- Advertisement -",
    "— ADVERTISEMENT —",
    "Advertisement · Scroll to continue",
    "Story continues below advertisement",
    "Article continues below advertisement",
    "SCROLL TO CONTINUE WITH CONTENT",
    "Continue reading the main story",
    "Skip Advertisement",
    "Sponsored",
    "Sponsored Content",
    "Paid content",
    "Paid Post",
    "Promoted",
    "Fly Erbil Advertisment",
    "Asiacell Advertisement",
    "Zain Iraq Sponsored",
    "Anzeige",
    "ANZEIGE",
    "Werbung",
    "Publicidad",
    "Publicité",
    "Pubblicità",
    "Реклама",
    "Reklama",
    "إعلان",
    "广告",
    "広告",
    "광고",
    "Advertentie",
    "Annons",
    "*Werbung. Dieser Beitrag enthält Werbung für MYMARINI.",
    "ANZEIGE - Heute mal ausgehen/bestellen? Wie wäre es mit:",
    "This post contains references to products from one or more of our advertisers.",
]

PROSE = [
    "The company spent $2 million on advertisement last year, its filing shows.",
    "Advertising revenue fell 12% in the third quarter, the publisher said.",
    "She worked in advertising for a decade before joining the campaign.",
    "The advertisement, which ran during the Super Bowl, drew complaints.",
    "We saw an advertisement for the job in a local newspaper.",
    "Sponsored by the ministry, the festival drew 10,000 visitors.",
    "Die Anzeige wurde bei der Polizei erstattet, teilte ein Sprecher mit.",
    "La publicidad institucional creció un 20% en el último año.",
    "Реклама на телевидении подорожала на треть за год.",
    "spent heavily on advertisement",
    "Ad hoc committees were formed to review the case.",
]


@pytest.mark.parametrize("line", AD_LINES)
def test_ad_line_is_recognised(line):
    assert is_ad_label(line)


@pytest.mark.parametrize("line", PROSE)
def test_sentence_about_advertising_stays(line):
    assert not is_ad_label(line)
