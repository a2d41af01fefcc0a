"""Bylines as people: the page's author metadata without the outlet, the job titles and
the repeats that metadata often mixes in (`Mathias Hagen; Journalist; Anders
Skjerdingstad`, `Sophie Foster; Sophie-Foster`, `Lesotho Times`), `; `-separated in
reading order. A name that is only the site's (its domain or its declared site name) is
the outlet, not a person.

What a byline block prints beside the names goes too (``name_of``): a date or a month
glued to the name (`Jane Doe December`, `Updated Oct 9`), interface text (`View author
archive`, `Get author RSS feed`, `Lesedauer: 3 Min.`, `Sign In`), placeholders (`Xxx`,
`admin`, `Username`), an e-mail address or what is left of one (`Mcason Com`), a job title
or a degree beside the name (`Jane Doe, CEO`, `Dylan Stableford Senior Editor`, `Lynne
Eldridge MD`), a label before it (`Post author By`, `责任编辑：`), credits that are not the
writer's (`Photography by …`, `… Edited by …`, `Special to …`), a reader's comment (`Art
Edwards says`), how long ago (`… prije`, `… hours ago`), the sections a CMS files the
story under (`Features`, `Love News`), the outlet before a Korean byline's `=` and the
job title after it (`스포츠조선=선수민 기자`), and code (`Googletag Cmd Push`). Of the whole
field (``people``): markup where a byline should be, the publisher's address (`SPIEGEL
ONLINE, Hamburg, Germany`), a company's suffix split off (`Inc`), the outlet or a wire
glued after a name (`TOM CANAVAN ASSOCIATED PRESS`, `Ed Hornick CNN`). Each is a kind of
text, not a site's wording.
"""

from __future__ import annotations

import re

from newsclean.cleaners.titles import site_keys, slug

# Job titles and desk labels that bylines carry beside the names, in several languages.
ROLES = frozenset(
    "journalist journalistin reporter reporterin correspondent editor redakteur redakteurin "
    "redaktion redacción rédaction staff writer author autor autorin photographer "
    "fotograf contributor columnist kolumnist".split()
)
_SPLIT = re.compile(r"\s*;\s*")
# "Quelle: dpa": the label of a credit, not part of the name (an agency that wrote
# the story is its byline, as wire copy credits it)
_SOURCE_LABEL = re.compile(r"^(?:quelle|source|fuente|bron|fonte|kilde)\b:?\s*", re.I)


def is_source_credit(text: str | None) -> bool:
    """Whether a byline credits the story's sources (``Quelle: sid/dpa``, ``Source:
    Reuters``) rather than signing it: what the page's own signature, where it has one,
    comes before."""
    return bool(text) and _SOURCE_LABEL.match(text.strip()) is not None


# Months and weekdays (English, German, French, Spanish, full and short): a byline's
# date printed against the name.
_CALENDAR = (
    r"jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|apr(?:il)?|may|mai|jun[ei]?"
    r"|jul[iy]?|aug(?:ust)?|sep(?:t|tember)?|o[ck]t(?:ober)?|nov(?:ember)?|de[cz](?:ember)?"
    r"|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre"
    r"|diciembre|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?"
)
# A date or a time at either end of the name, with what introduces it ("Updated",
# "Published", "Posted", "on", a comma): a month with its day or year, a numeric date, a
# clock time, or a month or weekday after such a word ("Updated Monday").
_INTRO = r"(?:updated|published|posted|last modified|on|am|le|el)"
_DATES = (
    rf"(?:(?:{_CALENDAR})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+\d{{4}}"
    rf"|(?:{_CALENDAR})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:{_CALENDAR})\.?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}|\d{{1,2}}:\d{{2}}(?:\s*[ap]\.?m\.?)?)"
)
_DATE_EDGE = re.compile(
    rf"(?:^|[\s,|·•-]+)(?:{_INTRO}\s+)*{_DATES}\s*$"
    rf"|(?:^|[\s,|·•-]+)(?:{_INTRO}\s+)+(?:{_CALENDAR})\.?\s*$"
    rf"|^\s*(?:{_INTRO}\s+)*{_DATES}(?:\s*[,|·•-]\s*|\s+)",
    re.IGNORECASE,
)
# A month's or weekday's name alone after a name of two words or more ("Jane Doe
# December", "Jeff Foust Monday"): after one word it may be a surname ("Maya May").
_MONTH = (
    r"january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WEEKDAY = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_TRAILING_MONTH = re.compile(rf"^(\S+(?:\s+\S+)+?)\s+(?:{_MONTH}|{_WEEKDAY})\.?$", re.IGNORECASE)
# After one word, a month no one is named after ("Mail December", "Pakistan January": what
# is left of "… Globe and Mail December 29" once "and" split it): no name is left.
_NAMELESS_MONTH = re.compile(
    r"^\S+\s+(?:january|february|september|october|november|december|feb|sept?|oct|nov|dec"
    r"|januar|februar|dezember|janvier|février|septembre|octobre|novembre|décembre)\.?$",
    re.IGNORECASE,
)
_LONE_CALENDAR = re.compile(
    rf"(?:{_INTRO}\s+)*(?:(?:{_CALENDAR})\.?,?\s*)+", re.IGNORECASE
)  # "January", "Tuesday March"
# Interface text a byline block prints: links to the writer's archive and feeds,
# reading times, "updated" labels, follow buttons.
_INTERFACE = re.compile(
    r"\b(?:view|see|read|get|more)\b.{0,20}\b(?:author|archive|articles?|stories|posts|"
    r"rss|feed|profile|bio)\b.*$|\b(?:rss feed|author archive|reading time|lesedauer|"
    r"lesezeit|temps de lecture|(?:\d+\s*)?min(?:ute)?s?\.? read|follow(?: on| me)?|"
    r"(?:last\s+)?updated|"
    r"published|posted|email|e-mail|share|tweet|"
    # the same labels in other languages, and the sign-in box beside the byline
    r"aktualisiert|veröffentlicht|tiempo de lectura|actualizado|publicado|"
    r"atualizado|publié le|mis à jour|uppdaterad|publicerad|bijgewerkt|gepubliceerd|"
    r"sign in|log in|logged in|logged|login|account|register|subscribe)\b.*$",
    re.IGNORECASE,
)
# How long ago, printed after the name ("P Mucović prije", "Jane Doe hours ago", "… 2
# godziny temu"): the time the page was rendered, not the name.
_AGO = re.compile(
    r"\s+(?:(?:prije|pre|vor|hace)(?:\s+\S+){0,2}"
    r"|(?:\d+\s+)?\S+\s+(?:ago|temu|geleden|sedan|siden))$",
    re.IGNORECASE,
)
# "Special to The Globe and Mail": a contributor's credit after the name.
_SPECIAL_TO = re.compile(r"\s+special(?:\s+(?:to|for)\b.*)?$", re.IGNORECASE)
# A Korean or Chinese byline: the outlet joined to the name by "=" before it, the job
# title after it or before it ("스포츠조선=선수민 기자", "记者 张三").
_OUTLET_EQUALS = re.compile(r"^[^\s=]{1,20}=(?=\S)")
_CJK_ROLE = re.compile(r"\s*(?:기자|특파원|記者|记者|特派員|特派员)$|^(?:记者|記者)\s*")
# The sections a CMS files a story under, put where its author goes ("Features; Luke
# Morton", "Life; Love News", "News-analysis tech"): an entry of these words only is
# nobody.
_SECTIONS = frozenset(
    "news features feature life lifestyle tech technology design opinion business "
    "culture politics sport sports entertainment science health travel food style arts "
    "world local mix love music film movies games gaming money fashion beauty weather "
    "video videos photos blog blogs analysis editorial commentary reviews home "
    "nachrichten kultur wirtschaft politik meinung panorama actualités économie "
    "noticias deportes cultura economía opinión".split()
)
# Names that stand for nobody.
_PLACEHOLDERS = frozenset(
    "xxx xx x admin administrator user guest unknown anonymous anonym n/a na none null "
    "undefined default author autor redaktion editor staff name username nickname byline "
    "submitted datum stand".split()
)
# An e-mail address or a link stands for nobody; a copyright line names the publisher.
_ADDRESS = re.compile(r"@|^https?:|^(?:copyright\b|©|\(c\)\s)", re.IGNORECASE)
# What trafilatura makes of an address or a domain ("mcason@x.com" -> "Mcason Com",
# "Lüder Hoppe info-hoppe de"): cut, and the entry kept only if a name of two words or
# more was printed before it.
_DOMAIN_TAIL = re.compile(
    r"(?:^|\s+)(?:www\s+)?[\w-]+\s+(?:(?:com|net|org|info|de|at|ch|fr|it|es|nl|co|uk|pl)"
    r"|(?:com|co|org|net|gob|gov)\s+[a-z]{2})$",
    re.IGNORECASE,
)
# The rest of an address cut there: its lower-case words ("… Reina maria").
_LOWER_TAIL = re.compile(r"(?:\s+[^\W\d_A-Z][\w-]*)+$")
# "View all posts by Daniel Lemire": the name after an archive link's words.
_ARCHIVE_LINK = re.compile(
    r"^(?:(?:view|see|read|more)\s+)?(?:all\s+)?(?:posts|articles|stories|entries|beiträge)"
    r"\s+(?:by|from|von)\s+",
    re.IGNORECASE,
)
# A job title after the name ("Jane Doe, CEO", "Jane Doe - Senior Editor").
_TITLE_AFTER = re.compile(
    r"\s*(?:,|\s-|\s–|\s\|)\s*(?:(?:senior|chief|executive|managing|deputy|associate|"
    r"contributing|staff|political|business|sports?|news|editor-at-large)\s+)*"
    r"(?:ceo|cfo|cto|coo|founder|co-founder|president|director|editor|writer|reporter|"
    r"correspondent|columnist|analyst|photographer|producer|contributor|professor|"
    r"journalist|redakteur(?:in)?|korrespondent(?:in)?)\b.*$",
    re.IGNORECASE,
)
# A job title printed after the name with nothing between ("Dylan Stableford Senior
# Editor", "Greg Beacham AP Sports Writer", "Andrea Stone Senior Washington
# Correspondent"), before it ("Associated Press Writer Amy Lorentzen"), or alone ("Staff
# Writer", "AP National Political Writer"): the words from the title's first qualifier
# (or, past a name's first two words, from the third) to the role go. "Staff" is not
# among the roles: "AOL Staff" is a desk's byline.
_ROLE_NOUNS = frozenset(
    "writer editor correspondent reporter columnist journalist journalistin contributor "
    "producer producers redakteur redakteurin korrespondent korrespondentin".split()
)
_ROLE_QUALIFIERS = frozenset(
    "senior chief executive managing deputy associate assistant contributing staff "
    "political politics business sports sport news national international foreign "
    "technology tech science health entertainment features culture special investigative "
    "digital global regional local city metro opinion editorial fashion travel food "
    "freelance guest ap afp dpa upi tv".split()
)
# "Phil Helsel is a reporter for NBC News": a description after the name.
_DESCRIBED = re.compile(r"\s+(?:is|ist|est|es)\s+(?:a|an|the|ein|eine|un|une|una)\b.*$", re.I)
# A label before the name: "Author:", "责任编辑：", "Post author By", "Vom", "Auteur",
# "Analysis by", "Guide by".
_LABEL_BEFORE = re.compile(
    r"^(?:[^:：\d]{1,20}[:：]\s*"
    r"|(?:post\s+)?(?:author|autor(?:in)?|auteur|autore)\s+(?:by\s+)?"
    r"|(?:by|von|vom|par|por|door|av)\s+"
    # a station's or desk's call sign before its "By" ("WABC By Eyewitness News"); not
    # before "von": "Ursula von der Leyen"
    r"|\S+\s+by\s+"
    r"|(?:piše|pise|napisao|napisala|пише|пишет)\s+"
    r"|(?:(?:written|words|story|text|report(?:ing)?|analysis|commentary|review|guide|"
    r"recipe|interview|opinion|column)\s+by)\s+)",
    re.IGNORECASE,
)
# Credits that are not the story's author: the photographs, the illustrations, the
# editing ("Photography by Scott Frances", "Rob Ewaschuk Edited by Betsy Beyer").
_OTHER_CREDIT = re.compile(
    r"(?:^|\s+)(?:photo(?:graph)?s?|photography|pictures?|illustrations?|video|fotos?|"
    r"edited|translated|additional reporting|graphics?)\s+(?:by|von|par|por)\b.*$",
    re.IGNORECASE,
)
# A comment's signature ("Art Edwards says", "Jane said:"): a reader, not the writer.
# ("said" is left out: Said is a surname.)
_COMMENTER = re.compile(r"\s(?:says|wrote|schreibt|sagt)\s*:?$|\bleft a comment\b", re.I)
# Degrees and credentials after the name, or split from it at a comma ("Grant Tinsley,
# PhD", "Ilana Muhlstein, MS, RDN", "Lynne Eldridge MD").
# Printed in capitals or as "PhD", "MSc": "Jack Ma" keeps his name.
_CREDENTIALS = frozenset(
    "PHD MD MA MS MSC MPH MBA MFA RD RDN RN DDS DVM CSCS LCSW FACS IBCLC MPP LLM".split()
)


def _credential(word: str) -> bool:
    return (word.isupper() or word in ("PhD", "MSc", "DPhil")) and word.upper() in _CREDENTIALS


# Code, markup or a file name where a byline should be ("Lt ; A Data-Track-Gtm ; Quot ;
# Byline ; Href", "Googletag Cmd Push", "Logo Png"): one such word cuts an entry there;
# two anywhere make the whole author field markup.
_CODE = frozenset(
    "lt gt quot amp nbsp href src https http png jpg jpeg gif svg webp htm html php js css "
    "googletag cmd dfp var document function window".split()
)
_WORDS = re.compile(r"[^\W_]+")
# A country at the end of an address ("SPIEGEL ONLINE, Hamburg, Germany"): the
# publisher's address, not its writers.
_COUNTRIES = frozenset(
    "germany deutschland austria österreich switzerland schweiz suisse svizzera france "
    "italy italia spain españa portugal netherlands nederland belgium belgique belgië "
    "poland polska usa us unitedstates unitedstatesofamerica uk unitedkingdom england "
    "canada australia india ireland sweden sverige norway norge denmark danmark finland "
    "suomi mexico méxico argentina brazil brasil chile colombia peru perú".split()
)
# What a company's name ends with, split from it at a comma or "&" ("Haufe-Lexware GmbH &
# Co. KG", "Example, Inc."): not a name by itself.
_COMPANY_SUFFIXES = frozenset("inc llc ltd gmbh cokg ag sa plc ev corp co kg".split())
_TRAILING_NUMBER = re.compile(r"\s+\d+$")
_LETTER = re.compile(r"[^\W\d_]")


def _without_role(name: str) -> str | None:
    """``name`` without a job title printed beside it with nothing between; None when the
    whole entry is a job title."""
    words = name.split()
    folded = [w.casefold().strip(".,") for w in words]
    roles = [i for i, w in enumerate(folded) if w in _ROLE_NOUNS]
    if not roles:
        return name
    after = words[roles[0] + 1 :]
    if len(after) >= 2 and all(
        w[0].isupper() and not any(c.isdigit() for c in w) and not _LONE_CALENDAR.fullmatch(w)
        for w in after
    ):
        return " ".join(after)  # "AP White House Correspondent Jennifer Loven"
    start = roles[0]
    while start > 0 and folded[start - 1] in _ROLE_QUALIFIERS:
        start -= 1
    # past a name's first two words, the title may begin with words of no list
    # ("Senior Washington Correspondent")
    kept = start if start <= 3 else 2
    if kept < 2 or any(w in _ROLE_QUALIFIERS for w in folded[:kept]):
        return None  # "Staff Writer", "Deutscher Journalist", "AP Economics Writer"
    return " ".join(words[:kept])


# A job title joined to its outlet before the name ("FOCUS-Online-Experte Robin Tschöpe",
# "ZEIT-ONLINE-Redakteurin Anna Muster").
_ROLE_COMPOUND = re.compile(
    r"^\S+-(?:experte|expertin|autor|autorin|redakteur|redakteurin|korrespondent|"
    r"korrespondentin|reporter|reporterin|editor|writer|columnist)\s+(?=\S+\s+\S)",
    re.IGNORECASE,
)
# Lower-case words a name may hold ("Ursula von der Leyen", "Prefeitura de Jaraguá do Sul").
_NAME_PARTICLES = frozenset(
    "van von der den de del della da di du le la bin ibn al el ter do dos das des zu af ten "
    "y e und".split()
)


# English words that join a phrase and that no name holds, whatever their case ("Has
# Worked As A Professional Python Developer Since").
_PHRASE_WORDS = frozenset(
    "a an as at has have had since is was are were with from into about this that who "
    "which will can".split()
)
# Lower-case words that join an organisation's name ("Centre for Science and
# Environment"): not a phrase's.
_ORGANISATION_WORDS = frozenset("and of the for on in".split())


def _prose(name: str) -> bool:
    """Whether an entry reads as a phrase rather than a name: four words or more, two of
    them lower-case words a name does not hold ("Hecho en Bolivia con Drupal por
    Smartica", "Richard David Precht im Gespräch mit Karin Fischer") or words that join
    a phrase in any case ("Has Worked As A Professional Python Developer Since")."""
    words = name.split()
    lower = [
        w
        for w in words
        if (w[0].islower() and w not in _NAME_PARTICLES and w not in _ORGANISATION_WORDS)
        or w.casefold() in _PHRASE_WORDS
    ]
    return len(words) >= 4 and len(lower) >= 2


def _code_cut(name: str) -> str:
    words = name.split()
    for i, word in enumerate(words):
        if any(w.casefold() in _CODE for w in _WORDS.findall(word)):
            return " ".join(words[:i])
    return name


def name_of(text: str) -> str | None:
    """The name in one byline entry, without the date, interface text, label, credit or
    job title printed beside it; None where nothing of a name is left (a date, a label, a
    placeholder, an address, a job title alone, a reader's comment)."""
    name = " ".join(_SOURCE_LABEL.sub("", text).split())
    if _ADDRESS.search(name) or _COMMENTER.search(name):
        return None
    name = _INTERFACE.sub("", _ARCHIVE_LINK.sub("", name))
    # the other credits first: "Photography by" is no label before a name
    name = _code_cut(_LABEL_BEFORE.sub("", _OTHER_CREDIT.sub("", name))).strip(" ,;|·•-–")
    name = _CJK_ROLE.sub("", _OUTLET_EQUALS.sub("", name))
    cut = _DOMAIN_TAIL.sub("", name)
    if cut != name:
        cut = _LOWER_TAIL.sub("", cut) if len(_LOWER_TAIL.sub("", cut).split()) >= 2 else cut
        if len(cut.split()) < 2:
            return None
    name = _TRAILING_NUMBER.sub("", _DESCRIBED.sub("", _TITLE_AFTER.sub("", cut)))
    for tail in (_SPECIAL_TO, _AGO):
        if len((cut := tail.sub("", name)).split()) >= 2:
            name = cut  # a name of two words or more is left before it
    if _prose(name):
        return None
    name = _without_role(_ROLE_COMPOUND.sub("", name)) or ""
    words = name.split()
    if words and _credential(words[-1].strip(".,")) and len(words) != 2:
        name = " ".join(words[:-1])  # "Lynne Eldridge MD"; "RDN" alone
    elif len(words) > 2 and words[-1].casefold() in ("stand", "datum"):
        name = " ".join(words[:-1])  # "Sara Zinnecker Stand": "as of", before a date
    if _NAMELESS_MONTH.match(name):
        return None
    while True:
        cut = _TRAILING_MONTH.sub(r"\1", _DATE_EDGE.sub("", name)).strip(" ,;|·•-–")
        if cut == name:
            break
        name = cut
    if not _LETTER.search(name) or name.casefold() in _PLACEHOLDERS:
        return None
    if _LONE_CALENDAR.fullmatch(name):
        return None
    sections = _WORDS.findall(name.casefold())
    if len(sections) <= 3 and all(w in _SECTIONS for w in sections):
        return None
    return name


# A wire service or a network printed after the writer's name ("TOM CANAVAN ASSOCIATED
# PRESS", "Ed Hornick CNN", "FRANCES ROBLES McClatchy Newspapers").
_WIRES = frozenset(
    slug(w)
    for w in (
        "associated press|ap|reuters|afp|agence france-presse|upi|dpa|efe|ansa|kyodo|xinhua|"
        "yonhap|tass|pti|ians|ani|press trust of india|bloomberg|cnn|bbc|npr|"
        "mcclatchy newspapers|mcclatchy-tribune"
    ).split("|")
)


def _without_outlet(name: str, sites: set[str]) -> str:
    """``name`` without the outlet printed after it with nothing between: a wire service,
    the site's own name, or a name that starts with "The" ("MIRJAM SWANSON THE
    PRESS-ENTERPRISE", "Wilmer Leon Sputnik International" on Sputnik's site), where
    what is left before it is shaped as a person's name."""
    words = name.split()
    if words and words[0].casefold() == "the":
        return name  # the outlet itself: "The Associated Press"
    for i in range(2, len(words)):
        tail = slug(" ".join(words[i:]))
        if words[i].casefold() == "the" or tail in _WIRES or tail in sites:
            head = " ".join(words[:i])
            # only after a name ("Un documentaire de" before the site's name is not one)
            return head if _person_shaped(head) else name
    half = len(words) // 2
    if len(words) >= 4 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])  # "Hans Pennink Hans Pennink"
    return name


# "Rocío Latorre y José Miguel Wilson": two names joined by "and" in a language
# trafilatura's metadata does not split on.
_AND = re.compile(r"\s+(?:y|und|et|e|i|en|og|och|ve)\s+")


def _two_people(entry: str) -> list[str]:
    parts = _AND.split(entry.strip())
    if len(parts) == 2 and all(
        len(p.split()) >= 2 and all(w[0].isupper() for w in p.split()) for p in parts
    ):
        return parts
    return [entry]


def people(
    author: str | None,
    url: str | None = None,
    site_name: str | None = None,
    rights_holder: str | None = None,
) -> str | None:
    """The people among ``author``'s names, once each, in order; None when none is left.
    ``rights_holder``: the page's copyright notice (``Copyright (c) Condé Nast 2024``):
    a name it holds beside others is the publisher, not a writer."""
    if not author:
        return None
    entries = _SPLIT.split(author)
    if sum(w.casefold() in _CODE for w in _WORDS.findall(author)) >= 2:
        return None  # markup or code, not a byline
    if len(entries) >= 3 and slug(entries[-1]) in _COUNTRIES:
        entries = entries[:-2]  # "SPIEGEL ONLINE, Hamburg, Germany": an address
    sites = site_keys(url, site_name)
    holder = slug(rights_holder or "")
    seen, kept = set(), []
    names = [
        _without_outlet(part, sites)
        for entry in entries
        if slug(entry) not in _COMPANY_SUFFIXES  # "Inc" of "Example, Inc."
        for part in _two_people(name_of(entry) or "")
        if part
    ]
    for name in names:
        key = slug(name)
        if not key or key in seen or name.casefold() in ROLES:
            continue
        if key in sites or slug(name.split()[0]) in sites:
            continue  # the outlet: "Lesotho Times", "Mdr De", "N-Tv Nachrichten"
        seen.add(key)
        kept.append(name)
    # The publisher ("Condé Nast" of "Copyright (c) Condé Nast 2024") beside the writers;
    # a name alone stays: a blog's writer often holds its copyright too.
    writers = [n for n in kept if not (len(slug(n)) >= 4 and slug(n) in holder)]
    return "; ".join(writers or kept) or None


# A person's name as a byline prints it: two to four words, each capitalised (a
# particle such as "van", "de" or "bin" aside), of letters, hyphens, apostrophes and
# initials' dots.
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’.-]*\.?|[^\W\d_]\.", re.UNICODE)
_PARTICLES = frozenset("van von der den de del della da di du le la bin ibn al el ter".split())
# "By", "Von", "Par": the word a byline is printed after, not part of it
_BY = re.compile(r"^(?:by|von|par|por|door|av)\s+", re.IGNORECASE)
_BYLINE_SPLIT = re.compile(r"\s*(?:/|;|,|&|\band\b|\bund\b|\bet\b|\by\b)\s*")


def _person_shaped(name: str) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 4:
        return False
    for word in words:
        if word.casefold() in _PARTICLES:
            continue
        if not _NAME_WORD.fullmatch(word) or not word[0].isupper():
            return False
    return not any(w.casefold() in ROLES for w in words)


def printed_byline(text: str | None, url: str | None = None, site_name: str | None = None):
    """The people of a byline printed in the story (``Mathatisi Sebusi/Mohalenyane
    Phakela``), `; `-separated; None unless every name in it is shaped as a person's
    (a bold subheading such as ``Key points`` or ``Climate Change In 2050`` is not)."""
    if not text:
        return None
    names = [n for n in _BYLINE_SPLIT.split(text) if n.strip()]
    if not names or not all(_person_shaped(n) for n in names):
        return None
    return people("; ".join(names), url, site_name)


def json_ld_byline(
    declared: list[tuple[str, bool]], url: str | None = None, site_name: str | None = None
) -> str | None:
    """The byline the page's JSON-LD prints for the article (``declared``: names as
    printed, each with whether it is an organisation): its people, where trafilatura's
    metadata missed them (``日刊現代``); else, where it credits no person, the desk that
    signs it: the names that are the outlet (its domain or declared site name: ``Les
    Echos``, ``Associated Press`` on apnews.com, ``nieuwsblad.be``) or an organisation.
    `; `-separated, None when there are none. (Beside a person's name the outlet is not a
    writer: ``people`` drops it.)"""
    declared = [(_BY.sub("", name), organisation) for name, organisation in declared]
    persons = people(
        "; ".join(part for name, org in declared if not org for part in _BYLINE_SPLIT.split(name)),
        url,
        site_name,
    )
    if persons:
        return persons
    sites = site_keys(url, site_name)
    kept: list[str] = []
    for name, organisation in declared:
        if name_of(name) != name or name in kept:
            continue
        key = slug(name)
        if organisation or any(site in key or key in site for site in sites):
            kept.append(name)
    return "; ".join(kept) or None
