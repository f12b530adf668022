"""The general-Arabic frequency table: the same frequencies as the list folded word by word,
built once and read from the cache by later processes, and never wrong or stuck because of
the cache: a damaged file, a cache that cannot be written, a disk that fills half-way, two
processes building at once."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarize.text.fold import fold
from summarize.trust import frequencies
from summarize.trust.frequencies import FrequencyTable, build_table, load_table

WORDS = {"ترامب": 1e-6, "تصريحات": 2e-5, "الاضواء": 3e-5, "": 1e-9, "a\udcff": 4e-7}


@pytest.fixture
def small_list(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[int]]:
    """A five-word list in place of wordfreq's, the temp folder one of the test's own; yields a
    counter of the times the list was read."""
    reads: list[int] = []
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))

    def read(path: Path, folding: dict[int, str]) -> dict[str, float]:
        reads.append(1)
        return dict(WORDS)

    monkeypatch.setattr(frequencies, "_read_list", read)
    frequencies._located.cache_clear()
    yield reads
    frequencies._located.cache_clear()


def table_path() -> Path:
    source, identity = frequencies._wordfreq_list()
    name = frequencies.table_name(identity, frequencies._folding())
    return Path(os.environ["HF_HOME"]) / "summarize" / "lexicon" / name


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.text(max_size=12), st.floats(0, 1, allow_nan=False), max_size=300),
    st.lists(st.text(max_size=12), max_size=30),
)
def test_a_table_reads_back_every_word_and_nothing_else(
    words: dict[str, float], others: list[str]
) -> None:
    table = FrequencyTable(build_table(words.items()))
    assert len(table) == len(words)
    for word, frequency in words.items():
        assert table.get(word) == frequency
    for word in others:
        assert table.get(word, -1.0) == words.get(word, -1.0)


def test_the_table_holds_the_list_folded_word_by_word() -> None:
    """Every word of wordfreq's Arabic list, folded by fold() itself (not the table's faster
    folding), has its frequencies added up; the table holds exactly those."""
    from wordfreq import cB_to_freq, read_cBpack

    source, _ = frequencies._wordfreq_list()
    expected: dict[str, float] = {}
    for index, bucket in enumerate(read_cBpack(str(source))):
        for word in bucket:
            key = fold(word)
            expected[key] = expected.get(key, 0.0) + cB_to_freq(-index)
    frequencies._located.cache_clear()
    table = frequencies.folded_frequencies()
    assert len(table) == len(expected) > 500_000
    assert all(table.get(word) == frequency for word, frequency in expected.items())
    assert table.get("ترامبوا") == 0.0


def test_a_later_process_reads_the_cached_table_without_reading_the_list(
    small_list: list[int],
) -> None:
    first = frequencies.folded_frequencies()
    assert small_list == [1] and table_path().is_file()
    code = textwrap.dedent(
        """
        import sys
        from summarize.trust.frequencies import folded_frequencies
        table = folded_frequencies()
        print(len(table), table.get("ترامب"), "wordfreq" in sys.modules)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [str(len(first)), repr(WORDS["ترامب"]), "False"]


@pytest.mark.parametrize("damage", ["cut", "flipped byte", "empty", "a folder", "a FIFO"])
def test_a_damaged_table_is_built_again(small_list: list[int], damage: str) -> None:
    frequencies.folded_frequencies()
    path = table_path()
    data = path.read_bytes()
    path.unlink()
    if damage == "cut":
        path.write_bytes(data[:-7])
    elif damage == "flipped byte":
        path.write_bytes(data[:-3] + bytes([data[-3] ^ 1]) + data[-2:])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "a FIFO":
        os.mkfifo(path)
    else:
        path.mkdir()
    frequencies._located.cache_clear()
    table = frequencies.folded_frequencies()
    assert small_list == [1, 1]
    assert [table.get(w) for w in WORDS] == list(WORDS.values())
    if damage == "a folder":  # left alone: the table went to the user's temp folder
        assert path.is_dir() and len(list(Path(tempfile.gettempdir()).glob("*/lexicon/*"))) == 1
    else:
        assert path.read_bytes() == data


@pytest.fixture
def blocked_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HF_HOME a file where the cache folder should be: nothing can be written under it."""
    blocked = tmp_path / "hf"
    blocked.write_text("not a folder")
    monkeypatch.setenv("HF_HOME", str(blocked))
    return blocked


@pytest.mark.usefixtures("blocked_cache")
def test_a_cache_that_cannot_be_written_uses_the_users_temp_folder(
    small_list: list[int], tmp_path: Path
) -> None:
    table = frequencies.folded_frequencies()
    assert [table.get(w) for w in WORDS] == list(WORDS.values())
    spare = tmp_path / "tmp" / f"summarize-{os.getuid()}" / "lexicon"
    assert [p.suffix for p in spare.iterdir()] == [".table"]
    frequencies._located.cache_clear()
    frequencies.folded_frequencies()
    assert small_list == [1], "the second process reads the temp folder's table"


@pytest.mark.usefixtures("small_list")
def test_with_no_cache_at_all_the_table_lives_in_memory(
    blocked_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = blocked_cache
    monkeypatch.setattr("tempfile.tempdir", str(blocked))  # the temp folder cannot be had
    table = frequencies.folded_frequencies()
    assert [table.get(w) for w in WORDS] == list(WORDS.values())


def test_a_disk_that_fills_half_way_leaves_no_file_and_a_right_table(
    small_list: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """RLIMIT_FSIZE (SIGXFSZ ignored) cuts the write part-way as a full disk does: no table
    file and no temp file stay behind, and the process has its table all the same."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setattr(frequencies, "_read_list", lambda path, folding: {
        f"كلمة{i}": i / 1e6 for i in range(5000)})  # fmt: skip
    frequencies._located.cache_clear()
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, old_limit[1]))
    try:
        table = frequencies.folded_frequencies()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
        frequencies._located.cache_clear()
    assert table.get("كلمة4999") == 4999 / 1e6 and len(table) == 5000
    folders = [table_path().parent, tmp_path / f"summarize-{os.getuid()}" / "lexicon"]
    assert [list(f.iterdir()) for f in folders if f.is_dir()] == [[] for f in folders if f.is_dir()]


def test_two_processes_building_at_once_both_get_the_whole_table(tmp_path: Path) -> None:
    code = textwrap.dedent(
        """
        from summarize.text.fold import fold
        from summarize.trust.frequencies import folded_frequencies
        print(len(folded_frequencies()), folded_frequencies().get(fold("إسرائيل")) > 0)
        """
    )
    env = {**os.environ, "HF_HOME": str(tmp_path), "TMPDIR": str(tmp_path)}
    runs = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [r.communicate()[0] for r in runs]
    assert [r.returncode for r in runs] == [0, 0]
    assert outs[0] == outs[1] and outs[0].split()[1] == "True"
    folder = tmp_path / "summarize" / "lexicon"
    (only,) = folder.iterdir()
    assert load_table(only) is not None and not only.name.startswith(".")


def test_temp_files_go_after_a_signal_and_stale_ones_after_an_hour(
    small_list: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = table_path()
    path.parent.mkdir(parents=True)
    old, recent = path.with_name(f".{path.name}.old.tmp"), path.with_name(f".{path.name}.new.tmp")
    old.write_bytes(b"left by a killed process")
    recent.write_bytes(b"another process is writing this one")
    os.utime(old, (0, 0))

    def stopped(fd: int, data: bytes) -> None:
        raise KeyboardInterrupt  # a signal landing while the table is written

    monkeypatch.setattr(frequencies, "write_all", stopped)
    with pytest.raises(KeyboardInterrupt):
        frequencies.folded_frequencies()
    assert sorted(p.name for p in path.parent.iterdir()) == [recent.name]


def test_models_pull_builds_the_table_into_the_cache(small_list: list[int]) -> None:
    """A cache pulled for an offline machine, or built as root for every user, has the table."""
    from typer.testing import CliRunner

    from summarize.cli import app

    result = CliRunner().invoke(app, ["models", "pull", "extractive"], catch_exceptions=False)
    assert result.exit_code == 0 and small_list == [1]
    assert f"name check's word table: {table_path()}" in result.stderr
    assert load_table(table_path()) is not None


def test_a_made_up_table_with_a_fitting_crc_never_crashes_nor_hangs() -> None:
    """Slots that point past the words, or no empty slot at all: each lookup ends, unknown."""
    import struct
    import zlib

    data = bytearray(build_table(WORDS.items()))
    _, words, size, slots, _ = struct.unpack_from("<8sQQQI", data, 0)
    at = 64 + 8 * words + 4 * (words + 1)
    data[at : at + 4 * slots] = struct.pack(f"<{slots}I", *([words + 7] * slots))
    struct.pack_into("<I", data, 32, zlib.crc32(bytes(data[64:])))
    table = FrequencyTable(bytes(data))
    assert [table.get(w, -1.0) for w in ("ترامب", "غير موجود")] == [-1.0, -1.0]


def test_a_link_planted_at_the_tables_name_is_replaced_not_written_through(
    small_list: list[int], tmp_path: Path
) -> None:
    path = table_path()
    path.parent.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("another user's file")
    path.symlink_to(victim)
    frequencies.folded_frequencies()
    assert victim.read_text() == "another user's file"
    assert not path.is_symlink() and load_table(path) is not None
