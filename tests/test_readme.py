"""The README's reader examples, run as written on a real output: what an analyst
copies must work with what `make test` installs."""

from __future__ import annotations

import ast
import re

from tests.conftest import REPO, SAMPLES, plain_run


def _block_after(marker: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index(marker) :]
    return re.search(r"```python\n(.*?)```", after, re.S).group(1)


def test_the_readers_of_the_output_section_run_as_written(tmp_path, monkeypatch):
    plain_run([SAMPLES], tmp_path / "data" / "out", workers=1)
    monkeypatch.chdir(tmp_path)  # the examples name data/out, as `make run` writes it
    code = _block_after("Read them as one dataset")
    results = []
    namespace: dict = {}
    for node in ast.parse(code).body:
        if isinstance(node, ast.Expr):
            results.append(eval(compile(ast.Expression(node.value), "README", "eval"), namespace))
        else:
            exec(compile(ast.Module([node], []), "README", "exec"), namespace)
    languages, authors, table, polars_frame, pandas_frame, first_version = results
    assert sum(n for _, n in languages.fetchall()) == 6  # the samples: 6 articles
    names = [a for row in table.column("authors").to_pylist() for a in row]
    assert names, "the samples name authors"
    assert dict(authors.fetchall()) == {a: names.count(a) for a in set(names)}
    assert table.num_rows == polars_frame.height == len(pandas_frame) == 6
    assert set(pandas_frame.columns) >= {"doc_id", "text", "removed", "captions"}
    assert first_version == 6
