"""The incremental invariant: after any sequence of runs over a landing folder, the dataset
equals a clean run over the inputs present now, plus the rows of inputs that were removed
since. Inputs are their content: a renamed, linked or copied file is the same input.

Hypothesis chooses the steps (files written, changed, renamed, linked, copied, removed,
and runs in between); a small model says which contents the dataset must hold."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import plain_run, scan

STORIES = [
    f"Story {i}: the city council approved plan number {i} for bicycle lanes on Monday, "
    f"officials said, and work on {i} streets will start in the spring."
    for i in range(5)
]
NAMES = ["a.txt", "b.txt", "sub/c.txt", "sub/d.txt"]


def _rows(out: Path | str, con=None) -> Counter:
    """The dataset as what the pages were: rows by doc_id and text (names aside: a
    renamed input keeps the name it was first read under)."""
    con = con or duckdb.connect()
    got = Counter()
    for dataset, cols in (("articles", "doc_id, text"), ("rejects", "doc_id, reason")):
        got.update(con.sql(f"select {cols} from {scan(out, dataset, con)}").fetchall())
    return got


class Landing:
    """A landing folder on disk and the model of what the dataset must hold."""

    def __init__(self, root: Path) -> None:
        self.work = root
        self.root = root / "landing"
        self.root.mkdir()
        self.out = root / "out"
        self.links: dict[str, str] = {}  # link name -> target name
        self.dataset: dict[int, set[str]] = {}  # story -> names it was seen under
        self.runs = 0

    def path(self, name: str) -> Path:
        return self.root / name

    def files(self) -> dict[str, int]:
        """name -> story, for every name a run would read now."""
        found = {}
        for name in NAMES:
            p = self.path(name)
            if p.exists():
                found[name] = STORIES.index(p.read_text())
        return found

    def _unlink(self, name: str) -> None:
        for link in [k for k, v in self.links.items() if v == name]:
            self._unlink(link)
        self.links.pop(name, None)
        p = self.path(name)
        if p.is_symlink() or p.exists():
            p.unlink()

    def write(self, name: str, story: int) -> None:
        p = self.path(name)
        if p.is_symlink():  # write a file of its own, not through the link
            self._unlink(name)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(STORIES[story])

    def delete(self, name: str) -> None:
        self._unlink(name)

    def rename(self, a: str, b: str) -> None:
        if not self.path(a).exists() or self.path(a).is_symlink() or a == b:
            return
        self._unlink(b)
        for link in [k for k, v in self.links.items() if v == a]:
            self._unlink(link)
        self.path(b).parent.mkdir(parents=True, exist_ok=True)
        os.rename(self.path(a), self.path(b))

    def link(self, a: str, b: str) -> None:
        if not self.path(a).exists() or self.path(a).is_symlink() or a == b:
            return
        self._unlink(b)
        self.path(b).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(self.path(a), self.path(b))
        self.links[b] = a

    def copy(self, a: str, b: str) -> None:
        if not self.path(a).exists() or a == b:
            return
        self._unlink(b)
        self.path(b).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.path(a), self.path(b))

    def output_rows(self) -> Counter:
        return _rows(self.out)

    def run_pipeline(self, incremental: bool) -> None:
        plain_run([self.root], self.out, workers=1, incremental=incremental)

    def run(self, incremental: bool) -> None:
        self.run_pipeline(incremental)
        self.runs += 1
        now = self.files()
        model: dict[int, set[str]] = {}
        for name, story in now.items():
            # the names it was known by, less those that now hold other content
            known = {n for n in self.dataset.get(story, ()) if now.get(n, story) == story}
            model.setdefault(story, known).add(name)
        for story, names in self.dataset.items():
            if story in model:
                continue
            # no name holds it now: its rows stay if it was removed, and go if a name it
            # was known by now holds other content (the input changed)
            if not any(n in now for n in names):
                model[story] = names
        self.dataset = model
        # what a clean run over these contents gives, one row each
        clean = self.work / f"clean-{self.runs}"
        clean.mkdir()
        for story in model:
            (clean / f"{story}.txt").write_text(STORIES[story])
        expected_out = self.work / f"expected-{self.runs}"
        plain_run([clean], expected_out, workers=1)
        assert self.output_rows() == _rows(expected_out), (now, model)


STEP = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(NAMES), st.integers(0, len(STORIES) - 1)),
    st.tuples(st.just("delete"), st.sampled_from(NAMES)),
    st.tuples(st.just("rename"), st.sampled_from(NAMES), st.sampled_from(NAMES)),
    st.tuples(st.just("link"), st.sampled_from(NAMES), st.sampled_from(NAMES)),
    st.tuples(st.just("copy"), st.sampled_from(NAMES), st.sampled_from(NAMES)),
    st.tuples(st.just("run"), st.booleans()),
)


def _examples(default: int):
    """Hypothesis settings for a sequence of runs: NEWSCLEAN_INVARIANT_EXAMPLES searches
    more (a run takes about a second, so no per-example deadline)."""
    return settings(
        max_examples=int(os.environ.get("NEWSCLEAN_INVARIANT_EXAMPLES", str(default))),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def _play(landing: Landing, steps) -> None:
    """The steps in order, then an incremental run (each run checks the invariant)."""
    for op, *args in steps:
        if op == "run":
            landing.run(incremental=args[0])
        else:
            getattr(landing, op)(*args)
    landing.run(incremental=True)


@_examples(12)
@given(steps=st.lists(STEP, min_size=1, max_size=14))
def test_incremental_dataset_equals_a_clean_run_plus_removed_inputs(tmp_path_factory, steps):
    _play(Landing(tmp_path_factory.mktemp("invariant")), steps)


class BucketLanding(Landing):
    """The same steps on a bucket: a landing prefix and an output prefix, no shared disk
    (object stores have no links: a link step copies, which is what a user would do)."""

    def __init__(self, root: Path, bucket, prefix: str) -> None:
        super().__init__(root)
        self.bucket = bucket
        self.prefix = f"{bucket.name}/{prefix}"
        self.root = bucket.url(prefix, "landing")
        self.output = bucket.url(prefix, "out")

    def key(self, name: str) -> str:
        return f"{self.prefix}/landing/{name}"

    def files(self) -> dict[str, int]:
        fs = self.bucket.fs
        return {
            n: STORIES.index(fs.cat_file(self.key(n)).decode())
            for n in NAMES
            if fs.exists(self.key(n))
        }

    def write(self, name: str, story: int) -> None:
        self.bucket.fs.pipe_file(self.key(name), STORIES[story].encode())

    def delete(self, name: str) -> None:
        if self.bucket.fs.exists(self.key(name)):
            self.bucket.fs.rm_file(self.key(name))

    def rename(self, a: str, b: str) -> None:
        if a != b and self.bucket.fs.exists(self.key(a)):
            self.bucket.fs.copy(self.key(a), self.key(b))
            self.bucket.fs.rm_file(self.key(a))

    def copy(self, a: str, b: str) -> None:
        if a != b and self.bucket.fs.exists(self.key(a)):
            self.bucket.fs.copy(self.key(a), self.key(b))

    link = copy

    def output_rows(self) -> Counter:
        con = duckdb.connect()
        con.register_filesystem(self.bucket.fs)
        return _rows(self.output, con)

    def run_pipeline(self, incremental: bool) -> None:
        plain_run([self.root], self.output, workers=1, incremental=incremental)


@_examples(6)
@given(steps=st.lists(STEP, min_size=1, max_size=10))
def test_incremental_dataset_on_a_bucket_equals_a_clean_run(tmp_path_factory, bucket, steps):
    import uuid

    root = tmp_path_factory.mktemp("bucket")
    _play(BucketLanding(root, bucket, uuid.uuid4().hex[:8]), steps)
