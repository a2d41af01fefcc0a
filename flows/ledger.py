"""The ledger of processed inputs: ``OUTPUT/_ledger/inputs.parquet``, one row per input.

An input is its content: a file renamed, linked or copied is the same input, not a new
one. Its entry (a JSON object, keyed by the hash of its content, which its rows carry
as ``input_key``) holds its content hash and every name it has been seen under, each
with the size and modification time it had then:

    {"path": ..., "sha256": ..., "size": ..., "mtime_ns": ...,
     "names": {"/landing/a.jsonl": [size, mtime_ns], "/landing/link.jsonl": [...]},
     "blocks": ..., "pages": ..., "duplicate_of": [doc_id, ...], ...}

All entries are one file, read once per run (one request on object storage, whatever
the number of inputs) and written whole, atomically, by ``commit`` after the run's table
commits: planning changes nothing. A run that dies before leaves the ledger as it was:
its inputs are processed again, and the tables' rows of inputs without an entry are
removed by the next run's commit. (Outputs of earlier versions kept one JSON file per
input under ``_ledger/inputs/``: read once more, and folded into the file.)

What an incremental run does with each input it lists (``plan``):

* a name the ledger knows, with the size and time it had: unchanged, skipped unread;
* otherwise its content hash decides: content the ledger holds (a touched file, a
  rename, a link, a copy) is skipped and the name added; new content is processed;
* a name that now holds other content than an input the ledger lists it under has left
  that input; an input left by all its names that still exist was *replaced*, and its
  rows go (a name that no longer exists does not count: a landing folder may be emptied
  after ingestion, and the rows of inputs removed that way stay).

So after any sequence of runs the dataset equals a clean run over the inputs present
now, plus the rows of inputs that were removed since.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyarrow as pa

from newsclean.flows import storage
from newsclean.flows.readers import SpanScanner, input_kind
from newsclean.flows.sink import input_key

LEDGER_DIR = "_ledger"
LEDGER_FILE = "inputs.parquet"  # every entry, one row each: OUTPUT/_ledger/inputs.parquet
LEDGER_SCHEMA = pa.schema(
    [
        pa.field("key", pa.string(), nullable=False),
        # the entry, as JSON in ASCII with escapes: a file name that is not UTF-8 round-trips
        pa.field("entry", pa.string(), nullable=False),
    ]
)
_CHUNK = 1 << 20
log = logging.getLogger("newsclean")


@dataclass(frozen=True, slots=True)
class InputState:
    path: str
    size: int
    mtime_ns: int | str  # on object storage: the ETag (or generation) instead
    sha256: str


def file_hash(path: str, also: Callable[[bytes], None] | None = None) -> str:
    """The content's SHA-256; ``also`` sees every chunk as it is read (the shard spans
    of a JSON Lines file are found in the same read)."""
    digest = hashlib.sha256()
    for chunk in storage.iter_chunks(path, _CHUNK):
        digest.update(chunk)
        if also is not None:
            also(chunk)
    return digest.hexdigest()


def current_state(path: str, also: Callable[[bytes], None] | None = None) -> InputState:
    seen = storage.stat(path)
    if seen is None:
        raise FileNotFoundError(f"no such input: {path}")
    return InputState(path, *seen, file_hash(path, also))


def still_as_planned(state: InputState) -> bool:
    """Whether the input is still as it was when the run planned it. One that changed
    or went away while the run read it gets no entry, so the next incremental run
    processes it again (the rows this run wrote are then replaced)."""
    return storage.stat(state.path) == (state.size, state.mtime_ns)


def identity(state: InputState) -> str:
    """What makes two inputs the same: their content, read the same way (the same bytes
    are one page as .html and another as .txt)."""
    return f"{input_kind(state.path)}:{state.sha256}"


def content_key(ident: str) -> str:
    """The key of an input's parts, text keys and entry: its identity, so that a renamed
    or linked file keeps them."""
    return hashlib.sha256(ident.encode()).hexdigest()[:16]


def entry_problem(entry: object) -> str | None:
    """What is wrong with a ledger entry's shape, or None when it is one."""
    if not isinstance(entry, dict):
        return f"a JSON {type(entry).__name__}, not an object"
    for name, kinds in (
        ("key", str),
        ("path", str),
        ("sha256", str),
        ("names", dict),
        ("duplicate_of", list),
    ):
        if not isinstance(entry.get(name), kinds) or isinstance(entry.get(name), bool):
            return f"{name} is missing or not a {getattr(kinds, '__name__', 'value')}"
    for name, seen in entry["names"].items():
        ok = isinstance(seen, list) and len(seen) == 2 and isinstance(seen[0], int)
        if not ok or not isinstance(seen[1], int | str):
            return f"names[{name!r}] is not [size, time]"
    if not all(isinstance(d, str) for d in entry["duplicate_of"]):
        return "duplicate_of is not a list of doc_ids"
    return None


@dataclass(slots=True)
class Planned:
    """An input to process: its state, the key of its parts, and the other names that
    hold the same content in this run (links and copies), recorded with it."""

    path: str
    state: InputState | None  # None: it could not be read when planned
    aliases: list[str] = field(default_factory=list)
    # names the same content had before this run, kept with it (see Ledger.plan)
    earlier_names: dict[str, list[int]] = field(default_factory=dict)
    # a JSON Lines file's shard ranges, found as its hash read it (None: find them later)
    spans: list[tuple[int, int, int]] | None = None

    @property
    def key(self) -> str:
        # an input that cannot be read has no content: its one reject goes under its name
        return content_key(identity(self.state)) if self.state else input_key(self.path)


@dataclass(slots=True)
class Plan:
    todo: list[Planned]
    skipped: list[str]  # unchanged inputs, and names of content already held
    replaced: list[str]  # inputs whose rows this plan removed (their first names)


class Ledger:
    """Every entry of one output, loaded once per run, with lookups by name and by
    content."""

    def __init__(self, output: str, check: Callable[[], None] = lambda: None) -> None:
        self.output = output
        # The run's lock check, before every change to the output: a run paused past its
        # lease (and resumed after another run took the output over) must learn it
        # before it removes anything, not at its next write of parts.
        self.check = check
        self.path = storage.join(output, LEDGER_DIR, LEDGER_FILE)
        self.folder = storage.join(output, LEDGER_DIR, "inputs")  # before version 4
        self.entries: dict[str, dict] = {}  # by key
        self.forgotten: set[str] = set()  # keys of inputs whose rows this run removes
        self._changed = False  # whether the commit has anything to write
        self._legacy: list[str] = []  # entry files of an earlier version, gone at commit
        for where, entry in self._load():
            if isinstance(entry, dict):
                # entries written before names and content keys: keyed by their path
                if isinstance(entry.get("path"), str):
                    entry.setdefault("key", input_key(entry["path"]))
                    seen = [entry.get("size"), entry.get("mtime_ns")]
                    entry.setdefault("names", {entry["path"]: seen})
                entry.setdefault("duplicate_of", [])
            problem = entry_problem(entry)
            if problem:
                # Written by hand or by something else: as if missing (its input is
                # processed again when it is listed), and gone at this run's commit.
                log.warning(
                    "ledger entry %s is damaged (%s): removed; its input is processed "
                    "again when a run lists it",
                    where,
                    problem,
                )
                self._changed = True  # the file is written again without it
                continue
            self.entries[entry["key"]] = entry
        self._index()

    def _load(self) -> list[tuple[str, object]]:
        """(where, entry) of every entry: from the snapshot, one read; from an output of
        an earlier version, its one JSON file per input (``inputs/``), which the next
        commit folds into a snapshot."""
        self._legacy = [
            storage.join(self.folder, n)
            for n in sorted(storage.listdir(self.folder))
            if n.endswith(".json")
        ]
        try:
            table = storage.read_table(self.path)
        except FileNotFoundError:
            table = None
        except (OSError, pa.ArrowException, ValueError) as exc:
            log.warning(
                "the ledger %s is damaged (%s): every input is processed again",
                self.path,
                str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__,
            )
            self._changed = True
            return []
        if table is not None:
            # a snapshot exists: entry files beside it are a migration's leftovers
            found = []
            for key, text in zip(table["key"].to_pylist(), table["entry"].to_pylist(), strict=True):
                try:
                    found.append((f"{self.path} [{key}]", json.loads(text)))
                except (TypeError, ValueError):
                    found.append((f"{self.path} [{key}]", text))
            return found
        found = []
        for path, data in storage.read_many(self._legacy).items():
            try:
                if isinstance(data, OSError):
                    raise data
                found.append((path, json.loads(data)))
            except (OSError, ValueError):
                continue  # unreadable or cut short: the input is processed again
        return found

    def remove_orphans(self) -> None:
        """Text keys and signatures of inputs with no entry: what a run left that was
        killed between its commit and its ledger's. (Their rows go at the next table
        commit, which keeps the rows of inputs with an entry only.)"""
        from newsclean.flows import dedup, near

        self.check()
        dedup.remove_except(self.output, set(self.entries))
        near.remove_except(self.output, set(self.entries))

    def _index(self) -> None:
        self.by_identity = {
            f"{input_kind(e['path'])}:{e['sha256']}": e for e in self.entries.values()
        }
        self.by_name = {n: e for e in self.entries.values() for n in e["names"]}

    # -- planning ---------------------------------------------------------------------

    def plan(
        self,
        files: list[str] | tuple[str, ...],
        *,
        incremental: bool,
        dedup: bool = False,
        scanner: Callable[[str], SpanScanner | None] = lambda path: None,
    ) -> Plan:
        """What this run processes (in input order), skips and replaces. The ledger in
        memory is brought up to date for new names and replaced inputs as it goes;
        nothing is written before ``commit``."""
        todo: list[Planned] = []
        skipped: list[str] = []
        replaced: list[str] = []
        lost_docs: set[str] = set()  # doc_ids kept by inputs this plan replaces
        claimed: dict[str, Planned] = {}  # content hash -> the input processing it
        for path in files:
            entry = self.by_name.get(path)
            seen = storage.stat(path, listed=True)
            if seen is None:
                todo.append(Planned(path, None))  # gone since it was listed
                continue
            if incremental and entry is not None and entry["names"].get(path) == list(seen):
                skipped.append(path)
                continue
            spans = scanner(path)  # the file's shard ranges, in the hash's one read
            try:
                state = current_state(path, spans.feed if spans else None)
            except OSError:
                todo.append(Planned(path, None))
                continue
            ident = identity(state)
            if ident in claimed:  # a link or a copy of an input of this run
                claimed[ident].aliases.append(path)
                replaced += self._release(path, None, lost_docs)
                skipped.append(path)
                continue
            holder = self.by_identity.get(ident)
            if incremental and holder is not None:
                # content the ledger holds: touched, renamed, linked or copied
                replaced += self._release(path, holder, lost_docs)
                holder["names"][path] = [state.size, state.mtime_ns]
                self._changed = True  # a name added: written at the commit
                skipped.append(path)
                continue
            # new content, or a clean run: processed under this name, and what held this
            # content before is replaced by what this run writes
            replaced += self._release(path, None, lost_docs)
            planned = Planned(path, state, spans=spans.finish() if spans else None)
            if holder is not None:
                # its rows are rewritten now; the names it was known by stay its names
                planned.earlier_names = dict(holder["names"])
                replaced += self._forget(holder, lost_docs)
            claimed[ident] = planned
            todo.append(planned)
        if dedup and lost_docs:
            todo += self._redecide(skipped, lost_docs, claimed)
            order = {p: i for i, p in enumerate(files)}
            todo.sort(key=lambda p: order[p.path])
        return Plan(todo, skipped, replaced)

    def _release(self, path: str, keep: dict | None, lost_docs: set[str]) -> list[str]:
        """``path`` now holds other content than the inputs that list it (but ``keep``):
        it leaves them. An input left this way by every name of it that still exists
        was replaced, and its rows go; names that no longer exist keep nothing alive,
        and remove nothing either (an input removed from the landing folder keeps its
        rows)."""
        gone = []
        for entry in [e for e in self.entries.values() if path in e["names"] and e is not keep]:
            del entry["names"][path]
            if any(storage.stat(n, listed=True) == tuple(st) for n, st in entry["names"].items()):
                self._changed = True
            else:
                gone += self._forget(entry, lost_docs)
        self._index()
        return gone

    def _forget(self, entry: dict, lost_docs: set[str]) -> list[str]:
        """An input whose rows go: the run's commit removes them, its text keys and its
        entry; the doc_ids it held, whose copies must be decided again, are noted now."""
        from newsclean.flows import dedup, near

        lost_docs.update(dedup.held(self.output, entry["key"]))
        lost_docs.update(near.held(self.output, entry["key"]))
        self.forgotten.add(entry["key"])
        self._changed = True
        self.entries.pop(entry["key"], None)
        self._index()
        return [entry["path"]]

    def _redecide(
        self, skipped: list[str], lost_docs: set[str], claimed: dict[str, Planned]
    ) -> list[Planned]:
        """Unchanged inputs holding pages rejected as copies of a text that an input of
        this plan took away: processed again, so the decision is made anew."""
        again = []
        for path in list(skipped):
            entry = self.by_name.get(path)
            if entry is None or not lost_docs & set(entry["duplicate_of"]):
                continue
            seen = storage.stat(path)
            if seen is None:
                continue
            state = InputState(path, *seen, entry["sha256"])
            if identity(state) in claimed:
                continue
            planned = Planned(path, state)
            claimed[identity(state)] = planned
            again.append(planned)
            skipped.remove(path)
        return again

    # -- writing ----------------------------------------------------------------------

    def record(
        self,
        planned: Planned,
        blocks: int,
        pages: int,
        version: str,
        duplicate_of: list[str] | tuple[str, ...] = (),
    ) -> None:
        """The entry of an input whose rows are all staged, with its aliases (written by
        ``commit``)."""
        state = planned.state
        # Every name the content was known by stays with it, those that no longer exist
        # too: a name that comes back holding other content means the input changed.
        old = self.entries.get(planned.key)
        names = {**planned.earlier_names, **(old or {}).get("names", {})}
        names[state.path] = [state.size, state.mtime_ns]
        for alias in planned.aliases:
            seen = storage.stat(alias)
            if seen is not None:
                names[alias] = list(seen)
        entry = {
            "key": planned.key,
            "path": state.path,
            "sha256": state.sha256,
            "size": state.size,
            "mtime_ns": state.mtime_ns,
            "names": names,
            "blocks": blocks,
            "pages": pages,
            "duplicate_of": sorted(set(duplicate_of)),
            "processed_at": datetime.now(UTC).isoformat(),
            "pipeline_version": version,
        }
        self.entries[planned.key] = entry
        self._index()
        self._changed = True

    def commit(self) -> None:
        """Write what the run changed, after its table commits: every entry, in one
        snapshot (one atomic write, one read for the next run's plan, whatever the
        number of inputs), when the run changed any. A run killed before leaves the
        ledger as it was."""
        if self._changed or self._legacy:
            self.check()
            keys = sorted(self.entries)
            entries = [json.dumps(self.entries[k]) for k in keys]
            table = pa.table({"key": keys, "entry": entries}, schema=LEDGER_SCHEMA)
            storage.write_table(table, self.path)
            for path in self._legacy:
                storage.remove(path)
        self._changed = False
        self.forgotten.clear()
        self._legacy = []
