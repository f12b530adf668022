"""The user's config file: defaults that stick (``summarize config set summarizer arabart``).

The file is ``config.toml`` in the platform's config folder (``~/.config/summarize`` on Linux,
``~/Library/Application Support/summarize`` on macOS, ``%APPDATA%\\summarize`` on Windows), or
in ``$SUMMARIZE_CONFIG_DIR`` when that is set. It holds plain ``key = value`` lines.

Every setting is decided here, and only here (:func:`effective`), in this order:

    a command-line flag > its environment variable > the config file > the default

where the default of the summarizer and the translator is the registry's ``[defaults]``, and of
the other keys the built-in one. The command line applies it; the Python API
(``summarize.Engine``) takes explicit arguments and reads no config file.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from summarize.errors import ModelError, OutputError, RegistryError, UsageError
from summarize.guarded import NotRegularFile, TooLarge, Unparsable, parse_toml, read_regular
from summarize.threads import MAX_THREADS

__all__ = [
    "ENV_DIR",
    "KEYS",
    "ConfigError",
    "Key",
    "Setting",
    "config_path",
    "effective",
    "read_config",
    "set_value",
    "unset_value",
]

#: Moves the config folder (the tests point it at a temp dir; so can a user).
ENV_DIR = "SUMMARIZE_CONFIG_DIR"
FILE_NAME = "config.toml"
# A config file is a few lines; a larger "config file" is a mistake (or /dev/zero).
MAX_CONFIG_BYTES = 1 << 16
# How long `config set` waits for another one writing the same file (it takes milliseconds).
LOCK_WAIT_SECONDS = 10.0

log = logging.getLogger(__name__)


class ConfigError(UsageError):
    """A bad key or value, given to ``config set`` or found in the environment or the file."""


@dataclass(frozen=True)
class Key:
    """One setting: its name in the file, its environment variable, its command-line flag."""

    name: str
    env: str
    flag: str
    help: str
    parse: Callable[[Any, str], Any]  # (raw value, where it came from) -> checked value


@dataclass(frozen=True)
class Setting:
    """A setting's value in effect and where it came from.

    ``source`` is ``flag``, ``env``, ``config``, ``registry`` or ``built-in``; ``origin`` names
    the flag, the variable or the file. ``value`` is None when nothing sets it and the default
    depends on the moment (threads: every core; format: a table on a terminal, else Markdown).
    """

    key: str
    value: Any
    source: str
    origin: str = ""

    @property
    def shown(self) -> str:
        """The value as a person reads it."""
        if self.value is not None:
            return str(self.value)
        return DEFAULT_WORDS.get(self.key, "")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} must be a non-empty string, got {value!r}")
    return value.strip()


def _choice(choices: Callable[[], tuple[str, ...]]) -> Callable[[Any, str], str]:
    def parse(value: Any, where: str) -> str:
        allowed = choices()
        if value not in allowed:
            raise ConfigError(f"{where} must be one of {', '.join(allowed)}, got {value!r}")
        return str(value)

    return parse


def _threads(value: Any, where: str) -> int:
    # ASCII digits only: str.isdigit() takes '²', which int() then refuses.
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]{1,20}\s*", value):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_THREADS:
        raise ConfigError(
            f"{where} must be a whole number of threads, 1 or more (at most {MAX_THREADS}), "
            f"got {value!r}"
        )
    return value


def _backends() -> tuple[str, ...]:
    from summarize.backends import BACKEND_CHOICES, backend_names

    return tuple(dict.fromkeys([*BACKEND_CHOICES, *backend_names()]))


def _precisions() -> tuple[str, ...]:
    from summarize.backends.model import PRECISIONS

    return PRECISIONS


def _formats() -> tuple[str, ...]:
    from summarize.render import FORMATS

    return FORMATS


KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        Key(
            "summarizer",
            "SUMMARIZE_SUMMARIZER",
            "--summarizer",
            "summarizer: registry alias, local model directory or hub id",
            _text,
        ),
        Key(
            "translator",
            "SUMMARIZE_TRANSLATOR",
            "--translator",
            "translator: registry alias, local model directory or hub id",
            _text,
        ),
        Key(
            "backend",
            "SUMMARIZE_BACKEND",
            "--backend",
            "what runs the models",
            _choice(_backends),
        ),
        Key(
            "precision",
            "SUMMARIZE_PRECISION",
            "--precision",
            "auto (int8 on the CPU, fp16 on CUDA), fp32, fp16 or int8",
            _choice(_precisions),
        ),
        Key("threads", "SUMMARIZE_THREADS", "--threads", "CPU threads for the models", _threads),
        Key(
            "format",
            "SUMMARIZE_FORMAT",
            "--format",
            "output format of brief and translate (and batch: markdown, json or html)",
            _choice(_formats),
        ),
        Key(
            "registry",
            "SUMMARIZE_MODELS",
            "--models",
            "the model registry file (models.toml) to use",
            _text,
        ),
    )
}

#: What an unset key without a fixed default means.
DEFAULT_WORDS = {
    "threads": "every core this process may use",
    "format": "a table on a terminal, Markdown in a pipe",
    "registry": "the built-in models.toml",
}


def _builtin(name: str) -> Any:
    """The built-in default of NAME: the Engine's own defaults, so the two never disagree."""
    if name in ("backend", "precision"):
        from summarize.backends.model import LoadOptions

        return next(f.default for f in fields(LoadOptions) if f.name == name)
    return None


def config_dir() -> Path:
    chosen = os.environ.get(ENV_DIR)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("summarize", appauthor=False))


def config_path() -> Path:
    """Where the config file is (it may not exist yet)."""
    return config_dir() / FILE_NAME


_warned: set[str] = set()


def _load_raw(path: Path, *, named: bool) -> dict[str, Any]:
    """The table in the config file PATH; ``{}`` when there is none.

    Only a regular file of at most 64 KiB is read (a FIFO or /dev/zero there never hangs a
    command). A file that cannot be read is an error when the user NAMED it (with
    SUMMARIZE_CONFIG_DIR); at the default place it is one warning and no settings: a HOME
    that the user cannot read (``docker --user``, ``sudo -u``) must not stop every command.
    """
    try:
        data = read_regular(path, MAX_CONFIG_BYTES)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError as e:
        if isinstance(e, TooLarge):
            why = f"it is over {MAX_CONFIG_BYTES // 1024} KiB; is it a config file?"
        elif isinstance(e, NotRegularFile):
            why = str(e.strerror)
        else:
            why = str(e.strerror or e)
        if named:
            raise ConfigError(f"cannot read the config file {path}: {why}") from None
        if str(path) not in _warned:
            _warned.add(str(path))
            log.warning(
                "cannot read the config file %s (%s); going on without it (set %s to a "
                "folder of your own to keep settings)",
                path,
                why,
                ENV_DIR,
            )
        return {}
    try:
        return parse_toml(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ConfigError(
            f"the config file {path} is not UTF-8 (byte {e.start + 1}); fix it, or delete it"
        ) from None
    except Unparsable as e:
        raise ConfigError(f"the config file {path}: {e.reason}; fix it, or delete it") from None


def _named(path: Path | None) -> bool:
    """Whether the user named the config file (a PATH given, or SUMMARIZE_CONFIG_DIR)."""
    return path is not None or bool(os.environ.get(ENV_DIR))


def read_config(path: Path | None = None) -> dict[str, Any]:
    """The config file's settings, checked; ``{}`` when there is no file."""
    named = _named(path)
    path = path or config_path()
    values = {}
    for name, raw in _load_raw(path, named=named).items():
        key = KEYS.get(name)
        if key is None:
            raise ConfigError(
                f"the config file {path} has an unknown key '{name}' (known: {', '.join(KEYS)}); "
                f"remove it with `summarize config unset {name}`"
            )
        values[name] = key.parse(raw, f"{name} in the config file {path}")
    return values


def effective(
    flags: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    path: Path | None = None,
) -> dict[str, Setting]:
    """Every setting in effect: FLAGS (None: not given) > environment > config file > default.

    The summarizer's and translator's default is left as None with source ``registry``: the
    registry in effect names them (:func:`registry_defaults` fills them in for display).
    """
    flags = flags or {}
    env = os.environ if environ is None else environ
    from_file = read_config(path)
    path = path or config_path()
    settings: dict[str, Setting] = {}
    for name, key in KEYS.items():
        # one check for a flag, a variable and the file, with one message
        if flags.get(name) is not None:
            settings[name] = Setting(name, key.parse(flags[name], key.flag), "flag", key.flag)
        elif env.get(key.env, "").strip():
            where = f"the environment variable {key.env}"
            settings[name] = Setting(name, key.parse(env[key.env], where), "env", key.env)
        elif name in from_file:
            settings[name] = Setting(name, from_file[name], "config", str(path))
        elif name in ("summarizer", "translator"):
            settings[name] = Setting(name, None, "registry")
        else:
            settings[name] = Setting(name, _builtin(name), "built-in")
    return settings


def registry_defaults(settings: dict[str, Setting], registry: Any) -> dict[str, Setting]:
    """SETTINGS with the summarizer and translator that REGISTRY (the one in effect) names
    where nothing else does, and the built-in registry's path."""
    out = dict(settings)
    if out["registry"].value is None:
        out["registry"] = Setting("registry", registry.path, "built-in")
    for role in ("summarizer", "translator"):
        if out[role].value is None:
            out[role] = Setting(role, registry.defaults[role], "registry", registry.path)
    return out


def _check_fully(name: str, value: Any) -> Any:
    """What ``config set`` checks beyond the type: models resolve (a local folder must hold
    a model, as loading would require), the registry loads."""
    from summarize.registry import load_registry, resolve

    if name == "registry":
        chosen = Path(value).expanduser()
        try:
            load_registry(chosen)
        except RegistryError as e:
            raise ConfigError(str(e)) from None
        return str(chosen.resolve())
    if name in ("summarizer", "translator"):
        from summarize.backends.hub import check_directory

        try:
            spec = resolve(value, name, load_registry(_registry_in_effect()))  # type: ignore[arg-type]
            if spec.path is not None:  # pickle weights are a decision of each run
                check_directory(spec.path, spec, allow_pickle=True)
        except (ModelError, RegistryError) as e:
            raise ConfigError(str(e)) from None
        return str(spec.path) if spec.path is not None else value
    return value


def _registry_in_effect() -> str | None:
    """The registry a new summarizer or translator setting must be found in."""
    chosen = os.environ.get(KEYS["registry"].env, "").strip()
    if chosen:
        return chosen
    value = _load_raw(config_path(), named=_named(None)).get("registry")
    return value if isinstance(value, str) and value.strip() else None


def _known_key(name: str) -> Key:
    key = KEYS.get(name)
    if key is None:
        raise ConfigError(f"unknown key '{name}'; known: {', '.join(KEYS)}")
    return key


def set_value(name: str, raw: str, path: Path | None = None) -> Any:
    """Check RAW for NAME and write it to the config file; return the value written."""
    key = _known_key(name)
    path = path or config_path()
    value = _check_fully(name, key.parse(raw, name))
    with _locked(path):
        values = _load_raw(path, named=True)
        values[name] = value
        _write(path, values)
    return value


def unset_value(name: str, path: Path | None = None) -> bool:
    """Remove NAME from the config file (any name: a stray key can be removed too).
    Returns whether it was there."""
    path = path or config_path()
    with _locked(path):
        values = _load_raw(path, named=True)
        if name not in values:
            if name not in KEYS:
                _known_key(name)
            return False
        del values[name]
        _write(path, values)
    return True


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the lock of the config file PATH while it is read, changed and replaced, so that
    two ``config set`` at once both land (each read-change-write sees the other's result).

    The lock is a ``flock`` on a hidden file beside the file that is written (the target of a
    linked config.toml); it is released when the process ends, however it ends."""
    target = Path(os.path.realpath(path))
    lock = target.parent / f".{target.name}.lock"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    except OSError as e:
        not_a_folder = e.errno in (errno.EEXIST, errno.ENOTDIR)  # a file or a FIFO in the way
        why = f"{target.parent} is not a folder" if not_a_folder else (e.strerror or str(e))
        raise OutputError(
            f"cannot write the config file {path}: {why}; set {ENV_DIR} to a folder of your own"
        ) from None
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                    raise OutputError(
                        f"cannot lock the config file {path} (another `summarize config` "
                        f"holds {lock}?): {e.strerror or e}"
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


def _write(path: Path, values: Mapping[str, Any]) -> None:
    """Replace the config file atomically (a config.toml that is a link: its target)."""
    from summarize.fileio import atomic_write

    lines = [
        "# summarize settings, written by `summarize config set KEY VALUE`.",
        "# A flag or an environment variable overrides each; `summarize config list` shows which.",
    ]
    for name, value in values.items():
        lines.append(f"{_toml_key(name)} = {_toml_value(value)}")
    atomic_write(path, "\n".join(lines) + "\n")


def _toml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


def _toml_value(value: Any) -> str:
    """VALUE as TOML: what tomllib read from the file (stray keys are kept as they were)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if not isinstance(value, str):  # dates and times
        return value.isoformat() if hasattr(value, "isoformat") else json.dumps(str(value))
    # A JSON string is a valid TOML basic string (same escapes: \\, \", \n, \uXXXX).
    return json.dumps(value)
