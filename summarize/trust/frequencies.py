"""General Arabic word frequencies, folded as the checks fold, in a compact table built once.

The words are wordfreq's Arabic list (620,000 words of Wikipedia, subtitles, news, books and the
web up to 2021; data CC BY-SA 4.0, code Apache-2.0, a dependency: its data is not copied here).
Reading and folding the list takes about a second and, as a Python dict, 120 MB. So the folded
list is built once into a table of plain arrays (the words' UTF-8 bytes, their offsets, their
frequencies and an open-addressing hash of CRC-32s, 21 MB), written to
``$HF_HOME/summarize/lexicon/`` and read by every later process (about 20 ms).

The file's name carries a key of what made it (this format, wordfreq's version and list, the
folding table), so a new wordfreq or a new folding builds a new one. Its header holds a CRC-32 of
the rest, checked on every load: a cut or damaged file is built again, never read. A cache that
cannot be written (another user's, read-only, full) is skipped for this user's folder in the temp
folder; when neither can be written the table lives in memory for the process, as compact.
"""

from __future__ import annotations

import hashlib
import logging
import os
import struct
import tempfile
import time
import zlib
from array import array
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from summarize.caches import summarize_cache, user_temp_cache
from summarize.fileio import umask, write_all
from summarize.guarded import read_regular
from summarize.text.fold import fold

__all__ = ["FrequencyTable", "build_table", "folded_frequencies", "load_table", "table_file"]

log = logging.getLogger(__name__)

_FORMAT = 1
_MAGIC = b"sumlex\x00\x01"
# magic, words, bytes of words, hash slots, CRC-32 of everything after the header
_HEADER = struct.Struct("<8sQQQI")
_HEADER_SIZE = 64  # the header padded, so the float64 array that follows is aligned
_FOLDER = "lexicon"
_LIST = "large_ar.msgpack.gz"
_STALE_S = 3600
_MAX_BYTES = 1 << 28  # the table of 620,000 words is 21 MB


class FrequencyTable:
    """Folded word → frequency (a share of all words), read like a dict's ``get``.

    Held in four flat arrays over one buffer: frequencies (float64),
    the words' offsets into the UTF-8 bytes of all words (uint32, one more than the words), hash
    slots (uint32, 0 for empty, else the word's index + 1; CRC-32 of its bytes, linear probing)
    and the bytes themselves.
    """

    def __init__(self, buffer: bytes) -> None:
        magic, words, size, slots, _crc = _HEADER.unpack_from(buffer, 0)
        if magic != _MAGIC or slots & (slots - 1) or slots <= words:
            raise ValueError("not a frequency table of this format")
        if len(buffer) != _HEADER_SIZE + 8 * words + 4 * (words + 1) + 4 * slots + size:
            raise ValueError("a frequency table of the wrong size")
        view = memoryview(buffer)
        at = _HEADER_SIZE
        self._freqs = view[at : at + 8 * words].cast("d")
        at += 8 * words
        self._offsets = view[at : at + 4 * (words + 1)].cast("I")
        at += 4 * (words + 1)
        self._slots = view[at : at + 4 * slots].cast("I")
        self._words = view[at + 4 * slots :]
        self._mask = slots - 1
        self._buffer = buffer  # the views keep it alive; this says so

    def __len__(self) -> int:
        return len(self._freqs)

    def get(self, word: str, default: float = 0.0) -> float:
        """WORD's frequency, or DEFAULT when general Arabic does not have it."""
        key = word.encode("utf-8", "surrogatepass")
        slots, offsets, words = self._slots, self._offsets, self._words
        mask = self._mask
        i = zlib.crc32(key) & mask
        try:
            for _ in range(len(slots)):  # a full table (a made-up file) cannot loop forever
                slot = slots[i]
                if not slot:
                    return default
                at = offsets[slot - 1]
                if words[at : offsets[slot]] == key:
                    return float(self._freqs[slot - 1])
                i = (i + 1) & mask
        except IndexError:  # a slot past the words: a file whose CRC was made to fit
            pass
        return default


def build_table(items: Iterable[tuple[str, float]]) -> bytes:
    """The bytes of a :class:`FrequencyTable` of ITEMS (words unique), as the file holds them."""
    freqs = array("d")
    offsets = array("I", [0])
    encoded: list[bytes] = []
    for word, frequency in items:
        key = word.encode("utf-8", "surrogatepass")
        encoded.append(key)
        freqs.append(frequency)
        offsets.append(offsets[-1] + len(key))
    slots_n = 1 << max(4, (2 * len(encoded)).bit_length())  # at most half full
    slots = array("I", bytes(4 * slots_n))
    mask = slots_n - 1
    for index, key in enumerate(encoded, 1):
        i = zlib.crc32(key) & mask
        while slots[i]:
            i = (i + 1) & mask
        slots[i] = index
    body = b"".join((freqs.tobytes(), offsets.tobytes(), slots.tobytes(), b"".join(encoded)))
    header = _HEADER.pack(_MAGIC, len(encoded), offsets[-1], slots_n, zlib.crc32(body))
    return header.ljust(_HEADER_SIZE, b"\x00") + body


def load_table(path: Path) -> FrequencyTable | None:
    """The table in PATH, or None when there is none or it is not one: not a regular file (a
    FIFO never blocks here), a wrong size, a CRC that does not match. Read whole (about 10 ms):
    a mapped file that someone truncated in place would crash the process."""
    try:
        data = read_regular(path, _MAX_BYTES)
    except OSError:
        return None
    if len(data) < _HEADER_SIZE or zlib.crc32(memoryview(data)[_HEADER_SIZE:]) != _crc(data):
        log.debug("frequency table %s is damaged; building it again", path)
        return None
    try:
        return FrequencyTable(data)
    except ValueError:
        return None


def _crc(data: bytes) -> int:
    return int(_HEADER.unpack_from(data, 0)[4])


def _store(path: Path, data: bytes) -> bool:
    """Write DATA to PATH through a temp file and a rename (another process may be writing the
    same table: either whole file wins). False when the folder cannot take it. The temp file
    goes whatever happens (a full disk, a signal); ones that a killed process left are removed
    once they are an hour old. Not :func:`summarize.fileio.atomic_write`: that one writes
    through a symbolic link at PATH (a dotfile's link), and a link planted in a shared cache
    must be replaced, never written through."""
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(path)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        tmp = Path(name)
        try:
            os.fchmod(fd, 0o666 & ~umask())  # mkstemp makes 0600: others may map it
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        return True
    except OSError as e:
        log.debug("cannot write the frequency table %s: %s", path, e)
        return False
    finally:
        if tmp is not None:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass


def _remove_stale(path: Path) -> None:
    """Remove temp files of PATH's table older than an hour (a process killed while writing)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if time.time() - stale.lstat().st_mtime > _STALE_S:
                stale.unlink()
        except OSError:
            pass


def _wordfreq_list() -> tuple[Path, str]:
    """wordfreq's Arabic list, and what identifies it (its version and size), found without
    importing wordfreq (a quarter of a second) when the table is already built."""
    from importlib.metadata import version  # noqa: PLC0415
    from importlib.util import find_spec  # noqa: PLC0415

    spec = find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq is not installed", name="wordfreq")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / _LIST
    return path, f"wordfreq {version('wordfreq')} {path.stat().st_size}"


# Arabic, its supplement and extended-A, and the presentation forms: the characters folded.
_ARABIC_BLOCKS = (
    (0x0600, 0x0700),
    (0x0750, 0x0780),
    (0x08A0, 0x0900),
    (0xFB50, 0xFE00),
    (0xFE70, 0xFF00),
)


def _folding() -> dict[int, str]:
    """:func:`summarize.text.fold.fold` one character at a time, as a ``str.translate`` table:
    the same keys for the list (NFKC already) in half the time of folding each word."""
    return {
        ord(c): fold(c) for a, b in _ARABIC_BLOCKS for c in map(chr, range(a, b)) if fold(c) != c
    }


def _read_list(path: Path, folding: dict[int, str]) -> dict[str, float]:
    """The list's words folded, the frequencies of words that fold alike added up."""
    from wordfreq import cB_to_freq, read_cBpack  # noqa: PLC0415

    out: dict[str, float] = {}
    for index, bucket in enumerate(read_cBpack(str(path))):
        share = cB_to_freq(-index)
        for word in bucket:
            key = word.translate(folding)
            out[key] = out.get(key, 0.0) + share
    return out


def table_name(identity: str, folding: dict[int, str]) -> str:
    """The file name of the table of a word list IDENTITY folded by FOLDING."""
    key = f"{_FORMAT}\n{identity}\n{sorted(folding.items())!r}"
    return f"ar-{hashlib.sha256(key.encode()).hexdigest()[:16]}.table"


def folded_frequencies() -> FrequencyTable:
    """General Arabic's words, folded as the checks fold, with their frequencies (module doc):
    the cached table, else one built now (and cached where it can be)."""
    return _located()[0]


def table_file() -> Path | None:
    """Where the table of :func:`folded_frequencies` lies, building it first if need be (None:
    no cache could take it, it lives in memory). ``summarize models pull`` builds it this way,
    so a cache copied to another machine, or built as root for every user, has it."""
    return _located()[1]


@cache
def _located() -> tuple[FrequencyTable, Path | None]:
    source, identity = _wordfreq_list()
    folding = _folding()
    name = table_name(identity, folding)
    cached = summarize_cache() / _FOLDER / name
    if (table := load_table(cached)) is not None:
        return table, cached
    spare_folder = user_temp_cache(_FOLDER)
    spare = spare_folder / name if spare_folder else None
    if spare and (table := load_table(spare)) is not None:
        return table, spare
    data = build_table(_read_list(source, folding).items())
    stored = next((path for path in (cached, spare) if path and _store(path, data)), None)
    return FrequencyTable(data), stored  # the bytes just written: not read back
