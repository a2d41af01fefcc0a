"""Where a run reads and writes: local paths, or object storage through fsspec.

Every other module names files with strings and asks this one to list, read, write and
remove them, so the run has one code path whatever the storage. A local path keeps the
guarantees a disk gives with some care (a temporary name, fsync, an atomic rename); a
URL (``s3://``, ``gs://``, ``az://``, ...) is written with one PUT under its final name,
which object stores make atomic: a reader sees the old object or the new one, never
half of one. ``file://`` URLs are local paths.

Credentials, region and endpoint come from each filesystem's standard environment
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL, AWS_PROFILE
for S3; GOOGLE_APPLICATION_CREDENTIALS for GCS; AZURE_STORAGE_* for Azure), so that
nothing beyond them is needed. ``use_options`` adds fsspec storage options for a run.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.parquet as pq

_URL = re.compile(r"^(?P<protocol>[A-Za-z][A-Za-z0-9+.-]*)://")

# The package that serves each protocol, for the message of a missing extra.
EXTRAS = {
    "s3": ("s3fs", "s3"),
    "s3a": ("s3fs", "s3"),
    "gs": ("gcsfs", "gcs"),
    "gcs": ("gcsfs", "gcs"),
    "az": ("adlfs", "azure"),
    "abfs": ("adlfs", "azure"),
    "abfss": ("adlfs", "azure"),
}

_BLOCK = 16 * 1024 * 1024  # bytes a request reads from object storage
_options: dict[str, dict] = {}
_lock = threading.Lock()
# (size, ETag) of the objects the last listing of inputs found: what an incremental run
# compares with its ledger, without one HEAD request per object (see ``stat``).
_listed: dict[str, tuple[int, str]] = {}


class StorageError(OSError):
    """A storage URL that cannot be used (no package for it, no such bucket, no
    credentials); its message is one line for the user."""


def use_options(options: dict[str, dict] | None) -> None:
    """fsspec storage options by protocol (``{"s3": {"endpoint_url": ...}}``) for the
    filesystems opened from now on in this process."""
    with _lock:
        _options.clear()
        _options.update(options or {})


def options_for(proto: str | None) -> dict:
    """The fsspec storage options this process was given for a protocol."""
    with _lock:
        return dict(_options.get(proto or "", {}))


def protocol(path: str) -> str | None:
    m = _URL.match(path)
    return m["protocol"].lower() if m else None


def is_remote(path: str) -> bool:
    """Whether ``path`` is a URL of a storage other than the local disk."""
    return protocol(path) not in (None, "file", "local")


def local(path: str) -> str:
    """A local path as the OS names it: ``file://`` taken off."""
    if protocol(path) in ("file", "local"):
        return path.split("://", 1)[1]
    return path


def normalize(path: str) -> str:
    """An input or output as the run names it: an absolute local path, or a URL without
    a trailing slash."""
    if is_remote(path):
        return path.rstrip("/")
    return os.path.abspath(local(path))


def filesystem(url: str):
    """The fsspec filesystem of a URL and the URL's path on it."""
    import fsspec

    proto = protocol(url)
    opts = dict(_options.get(proto, {}))
    # Listings are cached per instance by default: other processes (workers, another
    # run) write here too, so every question goes to the store.
    opts.setdefault("use_listings_cache", False)
    try:
        fs, path = fsspec.core.url_to_fs(url, **opts)
    except ImportError:
        package, extra = EXTRAS.get(proto, (proto, proto))
        raise StorageError(
            f"{proto}:// needs the package {package}: pip install 'newsclean[{extra}]'"
        ) from None
    except ValueError:
        raise StorageError(f"no filesystem for {proto}:// (in {url})") from None
    return fs, path


def join(base: str, *names: str) -> str:
    if is_remote(base):
        return "/".join([base.rstrip("/"), *names])
    return os.path.join(base, *names)


# -- reading ----------------------------------------------------------------------------


def open_input(path: str):
    """A binary file object to read ``path`` from its start (seekable)."""
    if not is_remote(path):
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    fs, key = filesystem(path)
    try:
        # fsspec's own line reading runs in Python, a byte at a time from its cache (a
        # 100 MB JSON Lines file took 20 s to scan); a BufferedReader over it reads in
        # large blocks and finds lines in C, as on a local file.
        raw = fs.open(key, "rb", block_size=_BLOCK, cache_type="none")
        return io.BufferedReader(raw, buffer_size=_BLOCK)
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - botocore and friends have their own types
        raise OSError(f"{path}: {exc}") from exc


def read_bytes(path: str) -> bytes:
    with open_input(path) as fh:
        return fh.read()


def read_many(paths: list[str]) -> dict[str, bytes | OSError]:
    """The bytes of many small files (ledger entries): one request each, concurrent on
    object storage."""
    if not paths:
        return {}
    if not is_remote(paths[0]):
        out: dict[str, bytes | OSError] = {}
        for p in paths:
            try:
                out[p] = read_bytes(p)
            except OSError as exc:
                out[p] = exc
        return out
    fs, _ = filesystem(paths[0])
    keys = {filesystem(p)[1]: p for p in paths}
    got = fs.cat(list(keys), on_error="return")
    return {
        keys[k]: v if isinstance(v, bytes) else OSError(str(v)) for k, v in got.items() if k in keys
    }


def stat(path: str, listed: bool = False) -> tuple[int, int | str] | None:
    """What tells whether a file changed without reading it: (size, mtime_ns) on disk,
    (size, ETag or generation) on object storage. None when it is not there.

    ``listed``: an object's state as the listing of inputs found it, where it did (a
    landing prefix of many objects is then planned with one LIST request per thousand,
    not a HEAD each); whether it is still so is checked afresh after it is read."""
    if listed and path in _listed:
        return _listed[path]
    if not is_remote(path):
        try:
            st = os.stat(path)
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns
    fs, key = filesystem(path)
    try:
        info = fs.info(key)
    except OSError:  # FileNotFoundError among them
        return None
    if info.get("type") == "directory":
        return None
    return _state(info)


def _state(info: dict) -> tuple[int, str]:
    version = next(
        (
            str(info[k]).strip('"')
            for k in ("ETag", "etag", "generation", "md5Hash", "last_modified", "mtime")
            if info.get(k)
        ),
        "",
    )
    return int(info.get("size") or 0), version


def listdir(folder: str, folders: bool = False) -> list[str]:
    """The names directly in ``folder`` (on disk, folders too: callers match names;
    on object storage files, or with ``folders`` the prefixes one level down); none
    when it does not exist."""
    if not is_remote(folder):
        try:
            return os.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            return []
    fs, key = filesystem(folder)
    try:
        entries = fs.ls(key, detail=True)
    except FileNotFoundError:
        return []
    kind = "directory" if folders else "file"
    return [e["name"].rstrip("/").rsplit("/", 1)[-1] for e in entries if e["type"] == kind]


# -- writing ----------------------------------------------------------------------------


def write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` as ``path`` all at once: on disk under a hidden temporary name,
    synced and renamed into place; on object storage with one PUT."""
    if is_remote(path):
        fs, key = filesystem(path)
        fs.pipe_file(key, data)
        return
    folder, name = os.path.split(path)
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)


def write_table(table: pa.Table, path: str) -> None:
    """A Parquet file, written as ``write_bytes`` writes."""
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    write_bytes(path, buf.getvalue())


def read_table(path: str, **kwargs) -> pa.Table:
    if not is_remote(path):
        return pq.read_table(path, **kwargs)
    return pq.read_table(io.BytesIO(read_bytes(path)), **kwargs)


def read_metadata(path: str) -> pq.FileMetaData:
    """A Parquet file's footer (row count, statistics), without its data."""
    if not is_remote(path):
        return pq.read_metadata(path)
    fs, key = filesystem(path)
    with fs.open(key, "rb") as fh:
        return pq.read_metadata(fh)


def remove(path: str) -> None:
    """Remove a file; one that is not there is already removed."""
    if not is_remote(path):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
        return
    fs, key = filesystem(path)
    with contextlib.suppress(FileNotFoundError):
        fs.rm_file(key)


def move(source: str, target: str) -> None:
    """``source`` becomes ``target`` in one step for a reader: a rename on disk (both
    in one output), a server-side copy then a delete on object storage."""
    if not is_remote(source):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(source, target)
        return
    fs, src = filesystem(source)
    _, dst = filesystem(target)
    fs.copy(src, dst)
    with contextlib.suppress(FileNotFoundError):
        fs.rm_file(src)


def remove_tree(path: str) -> None:
    """A folder (or prefix) and everything under it; none there is already removed."""
    if not is_remote(path):
        shutil.rmtree(path, ignore_errors=True)
        return
    fs, key = filesystem(path)
    with contextlib.suppress(FileNotFoundError):
        fs.rm(key, recursive=True)


# -- inputs -----------------------------------------------------------------------------


def find(url: str, pattern: bool) -> tuple[str, list[str]] | None:
    """On object storage: the files a glob matches, or the files under a prefix (or the
    one object it names), as full URLs, sorted, with the kind found ("glob", "prefix"
    or "file"); None when its bucket does not exist."""
    fs, key = filesystem(url)
    proto = protocol(url)

    def full(k: str) -> str:
        return f"{proto}://{k}"

    def files(found: dict) -> list[str]:
        urls = []
        for k, info in found.items():
            if info.get("type") == "file":
                urls.append(full(k))
                _listed[full(k)] = _state(info)
        return sorted(urls)

    if pattern:
        return "glob", files(fs.glob(key, detail=True))
    if fs.isfile(key):
        return "file", [full(key)]
    try:
        found = fs.find(key, detail=True)
    except FileNotFoundError:  # the bucket
        return None
    if not found:
        # Object stores have no folders: a prefix with nothing under it is an empty
        # landing folder (emptied after ingestion), as long as its bucket exists.
        try:
            fs.info(key.split("/", 1)[0])
        except FileNotFoundError:
            return None
    return "prefix", files(found)


def forget_listings() -> None:
    """Drop what earlier listings found: each run lists its inputs anew."""
    _listed.clear()


def iter_chunks(path: str, size: int = 1 << 20) -> Iterable[bytes]:
    with open_input(path) as fh:
        while chunk := fh.read(size):
            yield chunk
