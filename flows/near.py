"""Near-duplicate stories across a run and every earlier run into the same output.

Like exact duplicates (``dedup``), only the driver can decide: it sees the articles in
input order, earlier runs first. Each article's MinHash signature (``cleaners/
near_duplicates.py``) is looked up in an LSH index (rensa's ``RMinHashLSH``, 32 bands of
4 rows: a story with Jaccard 0.7 to an earlier one is a candidate with probability
0.9999), each candidate is checked on the full signature, and the earliest that reaches
the policy's ``near_threshold`` is the one this article is a near-duplicate of.

The signatures of articles are stored per input under ``OUTPUT/_ledger/near/<key>
.parquet`` (doc_id, ingested_at, signature), beside the ledger, so the next run links
tomorrow's copy to today's original. The index is bounded: signatures older than
``near_window_days`` are not loaded, and at most ``near_max_signatures`` (the newest)
are. Memory: 3.6 to 4.9 KiB a stored signature (rensa's 32 band tables and the 128-slot
matrix the checks read), about 1 GB at the default cap of 250,000; a lookup takes
microseconds whatever the index holds (benchmarks/near_duplicates.py). An input
processed again replaces its signatures; a killed run leaves no signature file for an
input without a ledger entry (``Ledger.remove_orphans``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa
from rensa import RMinHash, RMinHashLSH

from newsclean.cleaners.near_duplicates import NUM_PERM, SEED, signature
from newsclean.flows import sink, storage, tables
from newsclean.flows.ledger import LEDGER_DIR
from newsclean.schemas.policy import DuplicatePolicy

NUM_BANDS = 32
_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("ingested_at", pa.timestamp("us", tz="UTC")),
        ("signature", pa.binary()),
    ]
)


def index_folder(output: str) -> str:
    return storage.join(output, LEDGER_DIR, "near")


def restore(state: bytes) -> RMinHash:
    """A signature from its stored bytes (rensa's own pickled state)."""
    sig = RMinHash(num_perm=NUM_PERM, seed=SEED)
    sig.__setstate__(state)
    return sig


def held(output: str, key: str) -> set[str]:
    """The doc_ids whose signatures an input (by its ledger key) holds: when the input
    goes (at the run's commit), copies of them elsewhere are decided again."""
    return sink.held_docs(index_folder(output), key)


def remove_except(output: str, keys: set[str]) -> None:
    """Remove the signatures of every input whose key is not in ``keys``."""
    sink.remove_input_tables_except(index_folder(output), keys)


class NearIndex:
    def __init__(
        self, output: str, redo: set[str], policy: DuplicatePolicy, now: datetime, run_id: str
    ) -> None:
        """Load the signatures of earlier runs within the window, less those of inputs
        this run processes again (``redo``: their ledger keys)."""
        self.output = output
        self.run_id = run_id
        self.threshold = policy.near_threshold
        self.now = now
        self.lsh = RMinHashLSH(threshold=self.threshold, num_perm=NUM_PERM, num_bands=NUM_BANDS)
        self.docs: list[str] = []
        self._rows = np.zeros((1024, NUM_PERM), dtype=np.uint32)
        self.per_input: dict[str, list[tuple[str, bytes]]] = {}
        self._load(redo, policy)

    def _load(self, redo: set[str], policy: DuplicatePolicy) -> None:
        folder = index_folder(self.output)
        names = sorted(storage.listdir(folder))
        keys = [n.removesuffix(".parquet") for n in names if n.endswith(".parquet")]
        keys = [k for k in keys if k not in redo]
        found = sink.read_input_tables(self.output, folder, keys, _SCHEMA, self._rebuild)
        if not found:
            return
        table = pa.concat_tables(found)
        if policy.near_window_days:
            since = self.now - timedelta(days=policy.near_window_days)
            table = table.filter(pa.compute.greater_equal(table["ingested_at"], since))
        # earliest first (the order decides which copy is the original); the newest
        # near_max_signatures of them
        order = pa.compute.sort_indices(table, [("ingested_at", "ascending")])
        table = table.take(order).slice(max(0, table.num_rows - policy.near_max_signatures))
        for doc, state in zip(
            table["doc_id"].to_pylist(), table["signature"].to_pylist(), strict=True
        ):
            self._add(doc, restore(state))

    def _rebuild(self, key: str) -> pa.Table:
        """An input's signatures from its articles (every article of it is stored)."""
        rows = tables.input_rows(
            self.output, "articles", key, ["doc_id", "ingested_at", "text"]
        ).to_pylist()
        sigs = [(r, signature(r["text"])) for r in rows]
        return pa.Table.from_pylist(
            [
                {
                    "doc_id": r["doc_id"],
                    "ingested_at": r["ingested_at"],
                    "signature": s.__getstate__(),
                }
                for r, s in sigs
                if s is not None
            ],
            schema=_SCHEMA,
        )

    def _add(self, doc_id: str, sig: RMinHash) -> None:
        key = len(self.docs)
        if key == len(self._rows):
            self._rows = np.concatenate([self._rows, np.zeros_like(self._rows)])
        self._rows[key] = sig.digest()
        self.docs.append(doc_id)
        self.lsh.insert(key, sig)

    def earliest_match(self, sig: RMinHash) -> str | None:
        """The doc_id of the earliest stored article whose signature agrees with
        ``sig`` on at least ``threshold`` of its slots, or None."""
        candidates = self.lsh.query(sig)
        if not candidates:
            return None
        keys = np.array(sorted(candidates))
        agree = (self._rows[keys] == np.array(sig.digest(), dtype=np.uint32)).mean(axis=1)
        hits = keys[agree >= self.threshold]
        return self.docs[hits[0]] if len(hits) else None

    def check(self, key: str, items: list[tuple[int, str, bytes]], reject: bool) -> dict[int, str]:
        """For one shard's articles in order, as (position, doc_id, signature state):
        the positions of near-duplicates, each with the doc_id of the earliest article
        it repeats. Articles stay in the index, so a later copy may link to them, unless
        ``reject`` takes them out of the articles."""
        found = {}
        kept = self.per_input.setdefault(key, [])
        for pos, doc, state in items:
            sig = restore(state)
            first = self.earliest_match(sig)
            if first is not None and first != doc:
                found[pos] = first
                if reject:
                    continue
            self._add(doc, sig)
            kept.append((doc, state))
        return found

    def drop(self, key: str, docs: set[str]) -> None:
        """Articles of an input that left the articles for another reason (an exact
        duplicate, a repeated id): not stored for later runs."""
        self.per_input[key] = [(d, s) for d, s in self.per_input.get(key, []) if d not in docs]

    def finish_input(self, key: str, ingested_at: datetime) -> None:
        """Stage the signatures of an input whose shards are all in (current at the
        run's commit)."""
        rows = self.per_input.pop(key, [])
        table = pa.Table.from_pylist(
            [{"doc_id": d, "ingested_at": ingested_at, "signature": s} for d, s in rows],
            schema=_SCHEMA,
        )
        storage.write_table(table, sink.staged_index(self.output, self.run_id, "near", key))
