"""The user's config file: defaults that stick (``summarize config set summarizer arabart``).

The file is ``config.toml`` in the platform's config folder (``~/.config/summarize`` on Linux,
``~/Library/Application Support/summarize`` on macOS, ``%APPDATA%\\summarize`` on Windows), or
in ``$SUMMARIZE_CONFIG_DIR`` when that is set. It holds plain ``key = value`` lines;
:mod:`summarize.configfile` finds, reads and replaces it.

Every setting is decided here, and only here (:func:`effective`), in this order:

    a command-line flag > its environment variable > the config file > the default

where the default of the summarizer and the translator is the registry's ``[defaults]``, and of
the other keys the built-in one. The command line applies it; the Python API
(``summarize.Engine``) takes explicit arguments and reads no config file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from summarize.configfile import (
    ENV_DIR,
    config_dir,
    config_path,
    is_named,
    load_raw,
    locked,
    write_config,
)
from summarize.errors import ConfigError, ModelError, RegistryError, SummarizeError
from summarize.threads import MAX_THREADS

__all__ = [
    "ENV_DIR",
    "KEYS",
    "ConfigError",
    "Key",
    "Setting",
    "config_dir",
    "config_path",
    "effective",
    "listing",
    "read_config",
    "set_value",
    "unset_value",
]


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
    ``error``: why the value cannot be used (only :func:`listing` keeps such a setting; every
    command stops on it), and ``value`` is then the value as it was given.
    """

    key: str
    value: Any
    source: str
    origin: str = ""
    error: SummarizeError | None = None

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
    "summarizer": "the registry's default",
    "translator": "the registry's default",
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


def read_config(path: Path | None = None) -> dict[str, Any]:
    """The config file's settings, checked; ``{}`` when there is no file."""
    return {name: _usable(s).value for name, s in _file_settings(path).items()}


def _file_settings(path: Path | None) -> dict[str, Setting]:
    """The config file's settings, each checked, a bad value kept with its error; a file that
    cannot be read or parsed, or an unknown key, is a ConfigError at once."""
    named = is_named(path)
    path = path or config_path()
    settings = {}
    for name, raw in load_raw(path, named=named).items():
        key = KEYS.get(name)
        if key is None:
            raise ConfigError(
                f"the config file {path} has an unknown key '{name}' (known: {', '.join(KEYS)}); "
                f"remove it with `summarize config unset {name}`"
            )
        where = f"{name} in the config file {path}"
        settings[name] = _checked(key, raw, "config", str(path), where)
    return settings


def _checked(key: Key, raw: Any, source: str, origin: str, where: str) -> Setting:
    """RAW for KEY, through the one check of every source (a flag, a variable, the file)."""
    try:
        return Setting(key.name, key.parse(raw, where), source, origin)
    except ConfigError as e:
        return Setting(key.name, raw, source, origin, error=e)


def _from_environment(key: Key, raw: str) -> Setting:
    """KEY's variable, set to RAW. Set but empty is an error, as an empty flag or file value
    is: most often a shell mistake (``SUMMARIZE_TRANSLATOR=$UNSET_NAME``), never a choice."""
    where = f"the environment variable {key.env}"
    if not raw.strip():
        why = f"{where} is set but empty; unset it (`unset {key.env}`) or give it a value"
        return Setting(key.name, raw, "env", key.env, error=ConfigError(why))
    return _checked(key, raw, "env", key.env, where)


def _usable(setting: Setting) -> Setting:
    if setting.error is not None:
        raise setting.error
    return setting


def effective(
    flags: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    path: Path | None = None,
    keep_invalid: bool = False,
) -> dict[str, Setting]:
    """Every setting in effect: FLAGS (None: not given) > environment > config file > default.

    A bad value is a ConfigError, the config file's first (one there stops every command,
    even where a flag overrides it); KEEP_INVALID: the setting carries the error instead (for
    `config list`). The summarizer's and translator's default is left as None with source
    ``registry``: the registry in effect names them (:func:`registry_defaults` fills them in).
    """
    flags = flags or {}
    env = os.environ if environ is None else environ
    from_file = _file_settings(path)
    for bad in () if keep_invalid else from_file.values():
        _usable(bad)  # the file's first bad value
    settings: dict[str, Setting] = {}
    for name, key in KEYS.items():
        in_file = from_file.get(name)
        if flags.get(name) is not None:
            setting = _checked(key, flags[name], "flag", key.flag, key.flag)
        elif key.env in env:
            setting = _from_environment(key, env[key.env])
        elif in_file is not None:
            setting = in_file
        elif name in ("summarizer", "translator"):
            setting = Setting(name, None, "registry")
        else:
            setting = Setting(name, _builtin(name), "built-in")
        if in_file is not None and in_file.error is not None:
            setting = in_file  # a bad value in the file stops every command, even overridden
        settings[name] = setting if keep_invalid else _usable(setting)
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


def listing() -> dict[str, Setting]:
    """Every setting as `config list` shows it, the registry's defaults filled in, and each
    that would stop a command with its error: a bad value, a registry that does not load, a
    configured model that the registry does not know."""
    from summarize.registry import load_registry, resolve

    settings = effective(keep_invalid=True)
    if settings["registry"].error is not None:
        return settings
    try:
        registry = load_registry(settings["registry"].value)
    except RegistryError as e:
        return settings | {"registry": replace(settings["registry"], error=e)}
    settings = registry_defaults(settings, registry)
    for role in ("summarizer", "translator"):
        chosen = settings[role]
        try:
            if chosen.error is None and chosen.source != "registry":
                resolve(chosen.value, role, registry)
        except ModelError as e:
            settings[role] = replace(chosen, error=e)
    return settings


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
    key = KEYS["registry"]
    if key.env in os.environ:  # checked as everywhere (set but empty is an error)
        return str(_usable(_from_environment(key, os.environ[key.env])).value)
    value = load_raw(config_path(), named=is_named(None)).get("registry")
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
    with locked(path):
        values = load_raw(path, named=True)
        values[name] = value
        write_config(path, values)
    return value


def unset_value(name: str, path: Path | None = None) -> bool:
    """Remove NAME from the config file (any name: a stray key can be removed too).
    Returns whether it was there."""
    path = path or config_path()
    with locked(path):
        values = load_raw(path, named=True)
        if name not in values:
            if name not in KEYS:
                _known_key(name)
            return False
        del values[name]
        write_config(path, values)
    return True
