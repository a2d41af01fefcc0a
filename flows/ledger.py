"""The ledger of processed inputs, under ``OUTPUT/_ledger/inputs/``.

One small JSON file per input (named by the hash of its absolute path), written
atomically as the last step of that input, after its Parquet parts are in place. An
incremental run skips an input whose entry matches it; anything that died before the
entry was written is simply processed again, and its parts are replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from newsclean.flows.sink import input_key

LEDGER_DIR = "_ledger"
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class InputState:
    path: str
    size: int
    mtime_ns: int
    sha256: str


def file_hash(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def current_state(path: str, sha256: str | None = None) -> InputState:
    st = os.stat(path)
    return InputState(path, st.st_size, st.st_mtime_ns, sha256 or file_hash(path))


def _entry_path(output: str, path: str) -> str:
    return os.path.join(output, LEDGER_DIR, "inputs", f"{input_key(path)}.json")


def read_entry(output: str, path: str) -> dict | None:
    try:
        with open(_entry_path(output, path), encoding="utf-8") as fh:
            return json.load(fh)
    except (FileNotFoundError, ValueError):
        return None


def write_entry(output: str, state: InputState, blocks: int, pages: int, version: str) -> None:
    _write(
        output,
        {
            **asdict(state),
            "blocks": blocks,
            "pages": pages,
            "processed_at": datetime.now(UTC).isoformat(),
            "pipeline_version": version,
        },
    )


def refresh_entry(output: str, state: InputState) -> None:
    """Record a new size/mtime for an input whose content hash did not change."""
    entry = read_entry(output, state.path) or {}
    _write(output, {**entry, **asdict(state)})


def _write(output: str, entry: dict) -> None:
    final = _entry_path(output, entry["path"])
    os.makedirs(os.path.dirname(final), exist_ok=True)
    tmp = f"{final}.{uuid.uuid4().hex}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(entry, fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)


def still_as_planned(state: InputState) -> bool:
    """Whether the input is still as it was when the run planned it. One that changed
    or went away while the run read it gets no entry, so the next incremental run
    processes it again (the rows this run wrote are then replaced)."""
    try:
        st = os.stat(state.path)
    except OSError:
        return False
    return st.st_size == state.size and st.st_mtime_ns == state.mtime_ns


def is_unchanged(output: str, path: str) -> tuple[bool, InputState | None]:
    """Whether ``path`` is in the ledger as it is now; also its state when hashed.

    Same size and modification time: unchanged without reading the file. Otherwise the
    content hash decides, so a file that was only touched is not processed again.
    """
    entry = read_entry(output, path)
    if entry is None:
        return False, None
    st = os.stat(path)
    if entry.get("size") == st.st_size and entry.get("mtime_ns") == st.st_mtime_ns:
        return True, None
    state = current_state(path)
    return state.sha256 == entry.get("sha256"), state
