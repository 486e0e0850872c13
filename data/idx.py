"""Reading gzipped IDX files (the MNIST format), with SHA-256 verification and a per-process cache.

IDX layout: two zero bytes, a type code, the number of dimensions D, then D big-endian uint32 sizes, then the
values in C order, big-endian. Type codes: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32,
0x0E float64.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from pathlib import Path

import numpy as np

_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_CACHE: dict[tuple[str, int, int], np.ndarray] = {}


class ChecksumError(RuntimeError):
    """A file's SHA-256 digest differs from the one recorded for it (or none is recorded)."""


class CorruptFileError(RuntimeError):
    """A file passed its checksum test but is not a well-formed gzipped IDX file."""


def sha256_of(path: Path) -> str:
    """Hex SHA-256 digest of the bytes of ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_checksums(path: Path) -> dict[str, str]:
    """Parse a ``sha256sum``-style file: lines ``<hex digest>  <file name>`` (or ``<digest> *<name>``).

    Returns
    -------
    dict mapping file name to lower-case hex digest.
    """
    if not path.is_file():
        raise FileNotFoundError(f"checksum file {path} not found; every data folder needs one, e.g. made "
                                f"with `sha256sum *.gz > {path.name}` from files you trust")
    checksums = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split(maxsplit=1)
        if len(parts) != 2 or len(parts[0]) != 64:
            raise ChecksumError(f"{path}, line {number}: expected '<sha256 hex digest>  <file name>', "
                                f"got {line!r}")
        checksums[parts[1].strip().lstrip("*")] = parts[0].lower()
    return checksums


def verify_checksum(path: Path, checksums: dict[str, str]) -> None:
    """Raise :class:`ChecksumError` unless ``path`` hashes to ``checksums[path.name]``."""
    expected = checksums.get(path.name)
    if expected is None:
        raise ChecksumError(f"{path}: no SHA-256 digest recorded for {path.name!r} in the checksum file")
    actual = sha256_of(path)
    if actual != expected:
        raise ChecksumError(f"{path}: SHA-256 checksum mismatch, expected {expected}, got {actual}; "
                            "the file is corrupt or not the one the checksum file describes")


def parse_idx(raw: bytes, name: str = "<bytes>") -> np.ndarray:
    """Decode the bytes of an (uncompressed) IDX file into an array in native byte order.

    Raises
    ------
    CorruptFileError
        For a bad magic number, an unknown type code, or a payload whose size does not match the header.
    """
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise CorruptFileError(f"{name}: not an IDX file (the first two bytes must be zero)")
    code, ndim = raw[2], raw[3]
    if code not in _IDX_DTYPES:
        raise CorruptFileError(f"{name}: unknown IDX type code 0x{code:02X}")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise CorruptFileError(f"{name}: truncated IDX header ({len(raw)} bytes, expected {header})")
    shape = tuple(int(size) for size in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    dtype = np.dtype(_IDX_DTYPES[code])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise CorruptFileError(f"{name}: truncated or padded IDX data: header says shape {shape} "
                               f"({expected} bytes), but {len(raw) - header} bytes follow the header")
    values = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return values.astype(dtype.newbyteorder("="), copy=False)


def load_idx_gz(path: Path, checksums: dict[str, str]) -> np.ndarray:
    """Verify ``path`` against ``checksums`` and decode it; cached per process.

    The cache key is the resolved path with the file's size and modification time, so a file changed on disk
    is verified and decoded again. The returned array is read-only because it is shared between callers.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ChecksumError
        If its SHA-256 digest is missing from ``checksums`` or differs.
    CorruptFileError
        If it is not valid gzip or not a well-formed IDX file.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"data file {path} not found")
    stat = path.stat()
    key = (os.path.realpath(path), stat.st_size, stat.st_mtime_ns)
    if key not in _CACHE:
        verify_checksum(path, checksums)
        try:
            with gzip.open(path, "rb") as stream:
                raw = stream.read()
        except (OSError, EOFError, zlib.error) as error:
            raise CorruptFileError(f"{path}: not a valid gzip file ({error})") from error
        array = parse_idx(raw, str(path))
        array.flags.writeable = False
        _CACHE[key] = array
    return _CACHE[key]
