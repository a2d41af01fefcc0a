"""Exact-duplicate detection across a run and every earlier run into the same output.

Workers clean shards in parallel, so none of them can know what an earlier shard kept.
The driver collects shard results in input order and decides here: the first page with
a given text (in input order, earlier runs first) is kept, later ones move from the
shard's `articles` part to its `rejects` part with reason `duplicate`. The keys of kept
pages are stored per input under `OUTPUT/_ledger/texts/`, beside the ledger, so the next
run knows them; an input processed again replaces its own keys.
"""

from __future__ import annotations

import pyarrow as pa

from newsclean.cleaners.identity import text_key
from newsclean.flows import sink, storage, tables
from newsclean.flows.ledger import LEDGER_DIR

_SCHEMA = pa.schema([("text_key", pa.string()), ("doc_id", pa.string())])


def index_folder(output: str) -> str:
    return storage.join(output, LEDGER_DIR, "texts")


def held(output: str, key: str) -> set[str]:
    """The doc_ids whose text keys an input (by its ledger key) holds: when the input
    goes (at the run's commit), copies of them elsewhere are decided again."""
    return sink.held_docs(index_folder(output), key)


def remove_except(output: str, keys: set[str]) -> None:
    """Remove the text keys of every input whose key is not in ``keys``."""
    sink.remove_input_tables_except(index_folder(output), keys)


class TextIndex:
    def __init__(self, output: str, redo: set[str], run_id: str) -> None:
        """Load the text keys of earlier runs, less those of inputs this run processes
        again (``redo``: their ledger keys)."""
        self.output = output
        self.run_id = run_id
        self.seen: dict[str, str] = {}
        self.per_input: dict[str, list[tuple[str, str]]] = {}
        folder = index_folder(output)
        names = sorted(storage.listdir(folder))
        keys = [n.removesuffix(".parquet") for n in names if n.endswith(".parquet")]
        keys = [k for k in keys if k not in redo]
        for table in sink.read_input_tables(output, folder, keys, _SCHEMA, self._rebuild):
            for key, doc in zip(
                table["text_key"].to_pylist(), table["doc_id"].to_pylist(), strict=True
            ):
                self.seen.setdefault(key, doc)

    def _rebuild(self, key: str) -> pa.Table:
        """An input's text keys from its articles (the kept texts are the articles)."""
        rows = tables.input_rows(self.output, "articles", key, ["doc_id", "text"])
        keys = [text_key(t) for t in rows["text"].to_pylist()]
        return pa.table({"text_key": keys, "doc_id": rows["doc_id"]}, schema=_SCHEMA)

    def check(
        self, key: str, texts: list[tuple[str, str]], skip: set[int] = frozenset()
    ) -> dict[int, str]:
        """For one shard's articles in order, as (text_key, doc_id): the positions of the
        duplicates, each with the doc_id that was kept. Positions in ``skip`` are leaving
        the articles for another reason and count for nothing."""
        dups = {}
        kept = self.per_input.setdefault(key, [])
        for pos, (key, doc) in enumerate(texts):
            if pos in skip:
                continue
            first = self.seen.get(key)
            if first is None:
                self.seen[key] = doc
                kept.append((key, doc))
            else:
                dups[pos] = first
        return dups

    def finish_input(self, key: str) -> None:
        """Stage the kept keys of an input whose shards are all in (current at the
        run's commit)."""
        rows = self.per_input.pop(key, [])
        final = sink.staged_index(self.output, self.run_id, "texts", key)
        table = pa.Table.from_pylist(
            [{"text_key": k, "doc_id": d} for k, d in rows], schema=_SCHEMA
        )
        storage.write_table(table, final)
