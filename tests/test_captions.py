"""Captions, table-driven: credit formats seen in the wild, doubled captions, captions the
HTML declares, and lines that only look like captions."""

from __future__ import annotations

import pytest

from newsclean.cleaners.captions import find_captions, has_credit

BODY = "The minister said on Monday that the talks would resume next week in Geneva."

# Lines that carry a photo credit: each is a caption wherever it stands.
CREDITED = [
    "Kazakh President Kassym-Jomart Tokayev. (AP)",
    "President Joe Biden speaks in the East Room of the White House. (AP Photo/Evan Vucci)",
    "Smoke rises over the city after an airstrike. (AP Photo/Hatem Moussa, File)",
    "Firefighters battle the blaze on Sunday. (Getty Images)",
    "Protesters gather outside parliament. (AFP via Getty Images)",
    "The summit venue in Samarkand. (Photo: Reuters)",
    "Chancellor Olaf Scholz in Berlin (Photo by Sean Gallup/Getty Images)",
    "Photo: Reuters",
    "Foto: dpa",
    "Bild: picture alliance / dpa",
    "Image: Getty Images",
    "Credit: NASA/JPL-Caltech",
    "Traders work on the floor of the New York Stock Exchange | Reuters",
    "Alex Wong/Getty Images",
    "Alex Wong / Getty Images",
    "A worker walks past a uranium plant in southern Kazakhstan. REUTERS/Pavel Mikheyev",
    "Oil tankers off the coast of Fujairah. Photo by Jane Doe/AFP",
    "Fot. Lukasz Nowaczyk / Agencja Gazeta",
    "Supporters cheer at the rally in Erbil. (Kurdistan24)",
    "Rescue workers search the rubble. (Anadolu Agency)",
    "Courtesy G4",
    "Photo courtesy of NASA",
    "Illustration by Mike Nudelman",
    "AP Photo/CHARLES DHARAPAK",
    "[Featured Image by Justin Sullivan/Getty Images]",
    "photo by Ros O'Gorman",
]

# Lines that must not count as captions.
NOT_CAPTIONS = [
    BODY,
    "Photography is an art that many people enjoy in their spare time.",
    "Bildung ist der Schlüssel zu einer besseren Zukunft, sagte die Ministerin.",
    "The Associated Press (AP) reported that the vote would be delayed.",
    "Images of the flooding shocked the country, the prime minister said.",
    "Reuters reported on Monday that the deal was close.",
    "He told Reuters the plan was on track.",
    "Officials spoke to the AP on condition of anonymity.",
    "Courtesy calls were made on Monday",
    "Courtesy of the pandemic, prices rose 20% last year.",
    "The illustration by the court artist showed the defendant asleep.",
    "AP photographers were kept away from the scene on Monday.",
    "photo by photo, the exhibition retells the war.",
    "Pictures by the dozen were posted online before the police arrived at the scene.",
]


@pytest.mark.parametrize("line", CREDITED)
def test_credited_line_is_a_caption(line):
    assert has_credit(line)
    captions, indices = find_captions([BODY, line, "Another paragraph follows here."])
    assert (captions, indices) == ([line], [1])


@pytest.mark.parametrize("line", NOT_CAPTIONS)
def test_prose_is_not_a_caption(line):
    assert not has_credit(line)
    assert find_captions([line, "Another paragraph follows here."]) == ([], [])


def test_seed_caption_printed_twice_leaves_the_body_and_is_kept_once():
    cap = "Kazakh President Kassym-Jomart Tokayev. (AP)"
    lines = ["Lead paragraph of the story.", cap, cap, "ERBIL (Kurdistan24) – In a move"]
    assert find_captions(lines) == ([cap], [1, 2])


def test_credited_caption_copies_far_apart_are_all_removed():
    cap = "Traders on the floor of the exchange. REUTERS/Brendan McDermid"
    lines = [cap, BODY, "Second paragraph.", cap]
    assert find_captions(lines) == ([cap], [0, 3])


def test_doubled_line_without_credit_is_a_caption():
    cap = "Kazakh President Kassym-Jomart Tokayev at the summit."
    assert find_captions([BODY, cap, cap, "More text."]) == ([cap], [1, 2])


@pytest.mark.parametrize(
    "lines",
    [
        # repeated far apart: table cells and list items, which references keep
        ["Meal 2", "Eat every 2–3 hours", BODY, "Meal 3", "Eat every 2–3 hours"],
        # three copies in a row: structure, not a caption printed twice
        ["Eat 60–90 minutes before", "Eat 60–90 minutes before", "Eat 60–90 minutes before"],
        # a doubled question or quotation is a pull-quote
        ["What happens next?", "What happens next?", BODY],
        ["“We will win this fight.”", "“We will win this fight.”", BODY],
        # a doubled two-word line is too short to tell
        ["Key points", "Key points", BODY],
    ],
)
def test_repeats_that_are_not_captions_stay(lines):
    assert find_captions(lines) == ([], [])


def test_captions_declared_in_html_are_removed_from_the_body_in_order():
    first = "Travellers queue at the new departures hall."
    second = "The airport director speaks to reporters."
    lines = [second, BODY, first, "Closing paragraph."]
    captions, indices = find_captions(lines, known=[first, second, "A caption never printed"])
    assert (captions, indices) == ([second, first], [0, 2])


def test_caption_matching_ignores_case_spacing_and_edge_punctuation():
    cap = "Kazakh President Kassym-Jomart Tokayev. (AP)"
    lines = [cap, "kazakh  president kassym-jomart tokayev. (ap)", BODY]
    assert find_captions(lines) == ([cap], [0, 1])
