"""What a run cut, flagged and rejected, for people: one self-contained HTML page with
charts (``newsclean report``) and the audit view of one page (``newsclean show``).

Everything comes from the two Parquet datasets, queried in place with DuckDB (only the
columns each figure needs are read, so a report over a million rows takes seconds).
Charts are SVG drawn by matplotlib and embedded in the page: nothing is fetched from the
network when it is opened, and it has no script.
"""

from __future__ import annotations

import html
import io
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from newsclean.flows import storage, tables

HISTOGRAM_BINS = 20


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One line of a page's audit view: a kept paragraph (``rule`` None), or a piece
    the cleaners cut, by rule, where it stood."""

    text: str
    rule: str | None = None


def audit_lines(text: str, removed: list[dict]) -> list[AuditLine]:
    """The page as extracted, rebuilt from the cleaned ``text`` and ``removed`` alone:
    every kept paragraph, and every cut piece at the paragraph it stood in (``line``).
    Pieces without a place (a reader's repair, or a part written before schema 2) come
    first."""
    kept = text.split("\n") if text else []
    placed: dict[int, list[dict]] = {}
    lines: list[AuditLine] = []
    for piece in removed:
        if piece.get("line") is None:
            lines.append(AuditLine(piece["text"], piece["rule"]))
        else:
            placed.setdefault(piece["line"], []).append(piece)
    index, k = 0, 0
    while k < len(kept) or placed:
        pieces = placed.pop(index, [])
        cut_whole = [p for p in pieces if p["rule"] != "dateline"]
        for piece in pieces:
            lines.append(AuditLine(piece["text"], piece["rule"]))
        if not cut_whole and k < len(kept):
            lines.append(AuditLine(kept[k]))  # after its dateline, if one was cut
            k += 1
        elif not cut_whole and k >= len(kept) and not placed:
            break
        index += 1
    return lines


class Output:
    """The datasets of one output folder, as DuckDB relations."""

    def __init__(self, output: str, version: int | None = None) -> None:
        """The tables as they are now, or as the commit of ``articles`` version
        ``version`` left them (``rejects`` at the version the same run committed)."""
        self.output = storage.normalize(output)
        self.db = duckdb.connect()
        self.versions: dict[str, int] = {}
        self.files: dict[str, int] = {}
        at = {"articles": version}
        if version is not None:
            at["rejects"] = tables.matching_version(self.output, "rejects", "articles", version)
        for name in ("articles", "rejects"):
            try:
                table = tables.open_table(self.output, name, at.get(name))
            except FileNotFoundError:
                raise FileNotFoundError(f"{output} holds no {name} table") from None
            self.versions[name] = table.version()
            self.files[name] = len(table.file_uris())
            # DuckDB reads the table's files through pyarrow (its own delta extension
            # would download at first use)
            self.db.register(name, tables.dataset(self.output, name, at.get(name)))

    def rows(self, sql: str, *params) -> list[tuple]:
        return self.db.execute(sql, list(params)).fetchall()

    def article(self, doc_id: str) -> dict | None:
        cur = self.db.execute(
            "select doc_id, source_id, url, title, authors, published, provenance, language, "
            "text, captions, dateline, removed, decision, flags, near_duplicate_of, input_path "
            "from articles where doc_id = ? limit 1",
            [doc_id],
        )
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))


# -- the report ---------------------------------------------------------------------------


def _svg(title: str, labels: list[str], values: list[float], color: str = "#3b6ea5") -> str:
    """A horizontal bar chart as inline SVG (text kept as text, no external reference)."""
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    plt.rcParams["svg.fonttype"] = "none"  # text as text: small, and searchable
    plt.rcParams["svg.hashsalt"] = "newsclean"  # the same ids every time
    # Labels are data (domains, languages, rules): a `$` in a host name is text, never
    # mathtext, which would fail the whole report on `$$`.
    plt.rcParams["text.parse_math"] = False
    height = max(1.2, 0.32 * len(labels) + 0.8)
    fig, ax = plt.subplots(figsize=(7.5, height))
    ax.barh(range(len(labels)), values, color=color)
    ax.set_yticks(range(len(labels)), [lab[:48] for lab in labels], fontsize=9)
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 ticks
    for i, v in enumerate(values):
        ax.text(v, i, f" {v:,.0f}", va="center", fontsize=8)
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    return f'<figure class="chart">{svg}</figure>'


def _table(head: list[str], rows: list[tuple]) -> str:
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _link(doc_id: str, label: str | None = None) -> str:
    return f'<a href="#doc-{_e(doc_id)}">{_e(label or doc_id)}</a>'


def _context(text: str, term: str, width: int = 70) -> str:
    m = re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE)
    if not m:
        return _e(text[: 2 * width]) + "…"
    a, b = max(0, m.start() - width), min(len(text), m.end() + width)
    return f"…{_e(text[a : m.start()])}<mark>{_e(m.group(0))}</mark>{_e(text[m.end() : b])}…"


def _charts(specs: list[tuple[str, list[str], list[float], str]]) -> str:
    """The charts that have something to show; one line naming those that have not."""
    shown = [_svg(*spec) for spec in specs if spec[1]]
    empty = [spec[0] for spec in specs if not spec[1]]
    note = f"<p>Nothing to chart yet: {_e(', '.join(empty))}.</p>" if empty else ""
    return f'<div class="charts">{"".join(shown)}</div>{note}'


def described(article: dict) -> list[tuple[str, str]]:
    """(label, value) of an article's metadata as the report and ``show`` print it: the
    authors joined, and where title, date and authors came from."""
    rows = []
    for key in ("title", "authors", "published", "language", "decision", "near_duplicate_of"):
        value = article.get(key)
        if key == "authors":
            value = "; ".join(value or []) or None
        if value is not None:
            rows.append((key, str(value)))
    sources = article.get("provenance") or {}
    came = [f"{k} from {v}" for k, v in sources.items() if v]
    if came:
        rows.append(("provenance", ", ".join(came)))
    return rows


def audit_html(article: dict) -> str:
    parts = []
    for line in audit_lines(article["text"], article["removed"] or []):
        if line.rule is None:
            parts.append(f"<p>{_e(line.text)}</p>")
        else:
            rule = f'<span class="rule">{_e(line.rule)}</span>'
            parts.append(f'<p class="cut">{rule} <s>{_e(line.text)}</s></p>')
    side = [f"<dt>source</dt><dd>{_e(article['source_id'])}</dd>"]
    side += [f"<dt>{_e(key)}</dt><dd>{_e(value)}</dd>" for key, value in described(article)]
    if article.get("flags"):
        side.append(f"<dt>flags</dt><dd>{_e(', '.join(article['flags']))}</dd>")
    if article.get("dateline"):
        d = article["dateline"]
        side.append(
            f"<dt>dateline</dt><dd>{_e(d['raw'])} (location {_e(d['location'])}, "
            f"source {_e(d['source'])})</dd>"
        )
    for caption in article.get("captions") or []:
        side.append(f"<dt>caption</dt><dd>{_e(caption)}</dd>")
    heading = _e(article.get("title") or article["source_id"])
    return (
        f'<section class="audit" id="doc-{_e(article["doc_id"])}"><h3>{heading} '
        f'<small class="doc">{_e(article["doc_id"])}</small></h3><div class="page">'
        f'<div class="body">{"".join(parts)}</div>'
        f"<dl>{''.join(side)}</dl></div></section>"
    )


STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .6em;
text-align:left;vertical-align:top}th{background:#f4f4f4}
.totals td{font-size:1.3em}.charts{display:grid;grid-template-columns:1fr 1fr;gap:1em}
figure.chart{margin:0}figure.chart svg{width:100%;height:auto}
.cut{color:#8a1c1c}.rule{background:#fde2e2;border-radius:3px;padding:0 .3em;font-size:.85em}
.audit .page{display:grid;grid-template-columns:3fr 1fr;gap:1em}.audit dl{font-size:.9em}
mark{background:#ffe58a}.doc{color:#888;font-weight:normal;font-size:.7em}
"""


def build_report(output: str, sample: int = 5, version: int | None = None) -> str:
    """The report of one output folder, as a whole HTML document."""
    out = Output(output, version)
    n_art, n_flag = out.rows(
        "select count(*), count(*) filter (where decision = 'flag') from articles"
    )[0]
    (n_rej,) = out.rows("select count(*) from rejects")[0]
    tables_line = _e(
        "; ".join(
            f"{name}: table version {out.versions[name]}, {out.files[name]:,} files"
            for name in ("articles", "rejects")
        )
    )
    runs = out.rows(
        "select strftime(t, '%Y-%m-%d %H:%M'), sum(a), sum(r) from ("
        "select ingested_at t, 1 a, 0 r from articles union all "
        "select ingested_at, 0, 1 from rejects) group by 1 order by 1"
    )
    reasons = out.rows("select reason, count(*) from rejects group by 1 order by 2 desc, 1")
    rules = out.rows(
        "select r.rule, count(*) from (select unnest(removed) r from articles) "
        "group by 1 order by 2 desc, 1"
    )
    flags = out.rows(
        "select f, count(*) from (select unnest(flags) f from articles) group by 1 "
        "order by 2 desc, 1"
    )
    langs = out.rows(
        "select language, count(*) from articles group by 1 order by 2 desc, 1 limit 15"
    )
    kept_domains = out.rows(
        "select coalesce(domain, '(none)'), count(*) from articles group by 1 "
        "order by 2 desc, 1 limit 12"
    )
    rejected_domains = out.rows(
        "select coalesce(nullif(regexp_extract(url, '^https?://(?:www\\.)?([^/:]+)', 1), ''), "
        "'(none)'), count(*) from rejects group by 1 order by 2 desc, 1 limit 12"
    )
    # where the metadata came from: articles per rule or source, for each field
    provenance = out.rows(
        "select f, coalesce(v, '(none)'), count(*) from (select 'title' f, provenance.title v "
        "from articles union all select 'published', provenance.published from articles "
        "union all select 'authors', provenance.authors from articles) group by 1, 2 "
        "order by 1 desc, 3 desc, 2"
    )
    top = out.rows("select coalesce(max(word_count), 0) from articles")[0][0] or 1
    width = max(1, -(-top // HISTOGRAM_BINS))
    hist = out.rows(
        f"select (word_count // {width}) * {width}, count(*) from articles group by 1 order by 1"
    )

    blue, red = "#3b6ea5", "#b0413e"
    charts = _charts(
        [
            (
                "Articles and rejects per run (ingested_at)",
                [f"{t}  articles" for t, _, _ in runs] + [f"{t}  rejects" for t, _, _ in runs],
                [a for _, a, _ in runs] + [r for _, _, r in runs],
                blue,
            ),
            ("Rejects by reason", [r for r, _ in reasons], [c for _, c in reasons], red),
            ("Removed pieces by rule", [r for r, _ in rules], [c for _, c in rules], "#6d597a"),
            ("Flags by code", [f for f, _ in flags], [c for _, c in flags], "#d08c32"),
            ("Languages", [lang for lang, _ in langs], [c for _, c in langs], "#2a9d8f"),
            (
                "Word count (articles)",
                [f"{lo:,}–{lo + width - 1:,}" for lo, _ in hist],
                [c for _, c in hist],
                "#577590",
            ),
            ("Top domains kept", [d for d, _ in kept_domains], [c for _, c in kept_domains], blue),
            (
                "Top domains rejected",
                [d for d, _ in rejected_domains],
                [c for _, c in rejected_domains],
                red,
            ),
        ]
    )

    audited: dict[str, None] = {}
    rule_sections = []
    for rule, _ in rules:
        cuts = out.rows(
            "select doc_id, source_id, r.text from (select doc_id, source_id, unnest(removed) r "
            "from articles) where r.rule = ? order by doc_id, r.line limit ?",
            rule,
            sample,
        )
        audited.update(dict.fromkeys(d for d, _, _ in cuts))
        rule_sections.append(
            f"<h3>{_e(rule)}</h3>"
            + _table(["cut", "page"], [(_e(t), _link(d, s)) for d, s, t in cuts])
        )
    flagged = out.rows(
        "select doc_id, source_id, flags, text from articles where decision = 'flag' "
        "order by doc_id limit ?",
        sample * 4,
    )
    flag_rows = []
    for doc, source, codes, text in flagged:
        audited[doc] = None
        for code in codes:
            term = code.split(":", 1)[1] if code.startswith("term:") else None
            flag_rows.append((_link(doc, source), _e(code), _context(text, term) if term else ""))
    rejects = out.rows(
        "select reason, input_path, source_id, detail from rejects "
        "order by reason, input_path, source_id limit ?",
        sample * 10,
    )
    audits = [audit_html(a) for d in audited if (a := out.article(d)) is not None]

    totals = _table(
        ["pages", "kept", "flagged", "rejected"],
        [(f"{n_art + n_rej:,}", f"{n_art - n_flag:,}", f"{n_flag:,}", f"{n_rej:,}")],
    )
    reject_table = _table(
        ["reason", "input", "source", "detail"], [tuple(_e(c) for c in r) for r in rejects]
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsclean report: {_e(out.output)}</title><style>{STYLE}</style></head>
<body><h1>newsclean report</h1>
<p>{_e(out.output)}, written {stamp}</p>
<p>{tables_line}</p>
<div class="totals">{totals}</div>
<h2>Charts</h2>{charts}
<h2>Where the metadata came from</h2><p>Articles by the rule or source that gave each
field (<code>provenance</code>): filter on it where a source is less sure.</p>
{_table(["field", "from", "articles"], [(_e(f), _e(v), f"{n:,}") for f, v, n in provenance])}
<h2>What each rule cut</h2><p>A sample of {sample} lines per rule, each with its page.</p>
{"".join(rule_sections)}
<h2>Flagged pages</h2>{_table(["page", "flag", "in context"], flag_rows)}
<h2>Rejects</h2>{reject_table}
<h2>Pages, as cleaned</h2><p>Each page rebuilt from the Parquet: kept paragraphs, and every
cut piece where it stood, marked by its rule.</p>
{"".join(audits)}
</body></html>
"""


def write_report(
    output: str, destination: str | None = None, sample: int = 5, version: int | None = None
) -> str:
    """Write the report (default ``OUTPUT/report.html``, atomically); its path. With
    ``version``, of the tables as that version of ``articles`` left them."""
    target = destination or storage.join(storage.normalize(output), "report.html")
    page = build_report(output, sample, version)
    if storage.is_remote(target):
        storage.write_bytes(target, page.encode("utf-8"))
        return target
    tmp = f"{target}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(page)
    os.replace(tmp, target)
    return os.path.abspath(target)


# -- the terminal audit view --------------------------------------------------------------


def show(output: str, doc_id: str, console=None) -> bool:
    """Print one page's audit view with rich; False when the doc_id is not an article."""
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    article = Output(output).article(doc_id)
    if article is None:
        return False
    console = console or Console()
    body = Text()
    for line in audit_lines(article["text"], article["removed"] or []):
        if line.rule is None:
            body.append(line.text + "\n")
        else:
            body.append(f"[{line.rule}] ", style="bold red")
            body.append(line.text + "\n", style="red strike")
    meta = Table.grid(padding=(0, 1))
    # every value as Text: page content is data, never rich markup
    meta.add_row("source_id", Text(str(article["source_id"])))
    for key, value in described(article):
        meta.add_row(key.replace("_", " "), Text(value))
    if article.get("flags"):
        meta.add_row("flags", Text(", ".join(article["flags"])))
    if article.get("dateline"):
        meta.add_row("dateline", Text(article["dateline"]["raw"]))
    for caption in article.get("captions") or []:
        meta.add_row("caption", Text(caption))
    console.print(Panel(meta, title=Text(doc_id)))
    console.print(body)
    return True
