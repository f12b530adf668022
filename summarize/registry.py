"""The model registry (models.toml) and the one way to resolve a model name.

A name given by a user is an alias from the registry, a local model directory, or a hub id
(``org/name``). All three become a ``ModelSpec``; nothing here imports torch.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from summarize.errors import ModelError, RegistryError
from summarize.guarded import (
    NotRegularFile,
    TooLarge,
    Unparsable,
    file_kind,
    parse_toml,
    read_regular,
)

Role = Literal["summarizer", "translator"]
ROLES: tuple[Role, ...] = ("summarizer", "translator")
Kind = Literal["seq2seq", "extractive"]
#: seq2seq: a model on the hub or in a directory; extractive: built in, no weights (summarizers)
KINDS: tuple[Kind, ...] = ("seq2seq", "extractive")
DEFAULT_SENTENCES = 2
"""Sentences of an extractive summary unless the registry or ``--sentences`` says otherwise:
about what the abstractive default writes (at most 84 tokens, two news sentences)."""
ENV_REGISTRY = "SUMMARIZE_MODELS"
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*/[\w.\-]+$")
_PINNED = re.compile(r"^([0-9a-f]{40}|refs/pr/\d+)$")


@dataclass(frozen=True)
class GenerationSettings:
    """Decoding settings for one model; the translator's output bound scales with its input."""

    num_beams: int = 4
    length_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0
    max_new_tokens: int = 128
    min_new_tokens: int = 0
    max_new_tokens_ratio: float | None = None
    max_new_tokens_slack: int = 0

    def bound_for(self, input_tokens: int) -> int:
        """The output-token bound for an input of this many tokens."""
        if self.max_new_tokens_ratio is None:
            return self.max_new_tokens
        bound = int(self.max_new_tokens_ratio * input_tokens) + self.max_new_tokens_slack
        return max(1, min(self.max_new_tokens, bound))


@dataclass(frozen=True)
class ModelSpec:
    """Everything needed to find and run one model."""

    name: str
    role: Role
    hub_id: str | None
    revision: str | None
    license: str
    max_input_tokens: int
    generation: GenerationSettings
    description: str = ""
    path: Path | None = None
    kind: Kind = "seq2seq"
    sentences: int = DEFAULT_SENTENCES  # extractive only: how many sentences to choose

    @property
    def builtin(self) -> bool:
        """Nothing to download or load: the extractive summarizer."""
        return self.kind != "seq2seq"

    @property
    def source(self) -> str:
        """What from_pretrained is given: the local directory, or the hub id."""
        return str(self.path) if self.path is not None else str(self.hub_id)

    @property
    def label(self) -> str:
        """Short human label: alias, plus a short revision when pinned."""
        if self.path is not None:
            return f"{self.name} ({self.path})"
        rev = f"@{short_revision(self.revision)}" if self.revision else ""
        return f"{self.name}{rev}"


def short_revision(revision: str) -> str:
    """A commit hash shortened to 7 digits; a ref such as refs/pr/7 as it is."""
    return revision[:7] if re.fullmatch(r"[0-9a-f]{40}", revision) else revision


@dataclass(frozen=True)
class Registry:
    """The parsed registry file."""

    path: str
    models: dict[str, ModelSpec]
    defaults: dict[Role, str] = field(default_factory=dict)

    def aliases(self, role: Role | None = None) -> list[str]:
        return [n for n, s in self.models.items() if role is None or s.role == role]

    def default(self, role: Role) -> ModelSpec:
        return self.models[self.defaults[role]]


def _packaged_registry() -> tuple[str, str]:
    ref = resources.files("summarize").joinpath("models.toml")
    return str(ref), ref.read_text(encoding="utf-8")


# A registry is a few kilobytes; a larger "registry" is a mistake (or /dev/zero).
MAX_REGISTRY_BYTES = 1 << 20


def load_registry(path: str | Path | None = None) -> Registry:
    """Load the registry from PATH, else $SUMMARIZE_MODELS, else the one shipped in the package.

    Only a regular file of at most 1 MiB is read: --models /dev/zero, a FIFO with no writer
    or a huge file is refused at once instead of hanging or filling memory.
    """
    chosen = path if path is not None else os.environ.get(ENV_REGISTRY) or None
    if chosen is None:
        where, text = _packaged_registry()
    else:
        where = str(chosen)
        try:
            text = read_regular(Path(chosen), MAX_REGISTRY_BYTES).decode("utf-8")
        except FileNotFoundError:
            raise RegistryError(f"model registry {where} does not exist") from None
        except NotRegularFile as e:
            raise RegistryError(f"model registry {where} {e.strerror}") from None
        except TooLarge:
            raise RegistryError(
                f"model registry {where} is over {MAX_REGISTRY_BYTES // 1024} KiB; "
                "is it a models.toml?"
            ) from None
        except (OSError, UnicodeDecodeError) as e:
            raise RegistryError(f"cannot read model registry {where}: {e}") from None
    return parse_registry(text, where)


def parse_registry(text: str, where: str = "models.toml") -> Registry:
    """Parse and validate registry text; every error names the file and the field."""
    try:
        data = parse_toml(text)
    except Unparsable as e:  # invalid, nested too deeply, a number too long
        raise RegistryError(f"{where}: {e.reason}") from None
    check = _Checker(where)
    check.known(data, "", TOP_LEVEL)
    schema = data.get("schema", 1)
    if schema != 1 or isinstance(schema, bool):
        raise check.fail(
            "schema", f"must be 1 (the only version this summarize reads), got {schema!r}"
        )
    models_table = check.table(data, "models")
    models: dict[str, ModelSpec] = {}
    for name, entry in models_table.items():
        models[name] = check.model(name, entry)
    if not models:
        raise RegistryError(f"{where}: [models] is empty; define at least one model")
    defaults_table = check.table(data, "defaults")
    check.known(defaults_table, "defaults", set(ROLES))
    defaults: dict[Role, str] = {}
    for role in ROLES:
        alias = defaults_table.get(role)
        if alias is None:
            raise RegistryError(f"{where}: defaults.{role} is missing")
        if alias not in models:
            raise RegistryError(
                f"{where}: defaults.{role} names '{alias}', which is not in [models] "
                f"(known: {', '.join(models)})"
            )
        if models[alias].role != role:
            raise RegistryError(f"{where}: defaults.{role} names '{alias}', a {models[alias].role}")
        defaults[role] = alias
    return Registry(path=where, models=models, defaults=defaults)


TOP_LEVEL = {"schema", "defaults", "models"}
_ALIAS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# The range each generation setting must lie in (inclusive; None: no bound on that side).
# Out of range is a mistake or an attack: 1e9 beams or tokens would exhaust memory or never
# end, a NaN penalty would silently disable the check it stands for.
GENERATION_RANGES: dict[str, tuple[float | None, float | None]] = {
    "num_beams": (1, 64),
    "length_penalty": (0.0, 10.0),
    "no_repeat_ngram_size": (0, 32),
    "repetition_penalty": (0.01, 10.0),
    "max_new_tokens": (1, 4096),
    "min_new_tokens": (0, 4096),
    "max_new_tokens_ratio": (0.01, 100.0),
    "max_new_tokens_slack": (0, 4096),
}
MAX_INPUT_TOKENS = (8, 65_536)


class _Checker:
    """Small schema checker whose messages name the file and the dotted field."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, field_name: str, problem: str) -> RegistryError:
        return RegistryError(f"{self.where}: {field_name} {problem}")

    def known(self, table: dict[str, Any], prefix: str, allowed: set[str]) -> None:
        """Refuse a key or table of TABLE that is not in ALLOWED (a typo such as [model.x]
        or summariser would otherwise be ignored without a word)."""
        for key in sorted(set(table) - allowed):
            kind = "table" if isinstance(table[key], dict) else "field"
            name = f"{prefix}.{key}" if prefix else key
            raise self.fail(name, f"is not a known {kind} (known: {', '.join(sorted(allowed))})")

    def in_range(self, name: str, value: float, bounds: tuple[float | None, float | None]) -> None:
        low, high = bounds
        if not math.isfinite(value):
            raise self.fail(name, f"must be a finite number, got {value}")
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.fail(name, f"must be between {low} and {high}, got {value}")

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table ([" + key + "])")
        return value

    def get(
        self, entry: dict[str, Any], prefix: str, key: str, kind: type, default: Any = ...
    ) -> Any:
        value = entry.get(key, default)
        if value is ...:
            raise self.fail(f"{prefix}.{key}", "is missing")
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            raise self.fail(
                f"{prefix}.{key}", f"must be {kind.__name__}, got {type(value).__name__} {value!r}"
            )
        return value

    def model(self, name: str, entry: Any) -> ModelSpec:
        prefix = f"models.{name}"
        if not _ALIAS.match(name):
            raise self.fail(
                prefix, "names an alias of letters, digits, '.', '_' and '-' (at most 64)"
            )
        if not isinstance(entry, dict):
            raise self.fail(prefix, "must be a table")
        kind = self.get(entry, prefix, "kind", str, "seq2seq")
        if kind not in KINDS:
            raise self.fail(f"{prefix}.kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
        if kind == "extractive":
            return self.extractive(name, entry)
        known = {"role", "kind", "hub_id", "revision", "license", "description", "max_input_tokens"}
        unknown = set(entry) - known - {"generation"}
        if unknown:
            raise self.fail(
                f"{prefix}.{sorted(unknown)[0]}",
                f"is not a known field (known: {', '.join(sorted(known | {'generation'}))})",
            )
        role = self.get(entry, prefix, "role", str)
        if role not in ROLES:
            raise self.fail(f"{prefix}.role", f"must be one of {', '.join(ROLES)}, got {role!r}")
        hub_id = self.get(entry, prefix, "hub_id", str)
        if not _HUB_ID.match(hub_id):
            raise self.fail(f"{prefix}.hub_id", f"must look like org/name, got {hub_id!r}")
        revision = self.get(entry, prefix, "revision", str)
        if not _PINNED.match(revision):
            raise self.fail(
                f"{prefix}.revision",
                f"must be a full 40-hex commit hash (or refs/pr/N), got {revision!r}",
            )
        max_in = self.get(entry, prefix, "max_input_tokens", int)
        self.in_range(f"{prefix}.max_input_tokens", max_in, MAX_INPUT_TOKENS)
        gen = self.generation(prefix + ".generation", entry.get("generation", {}))
        return ModelSpec(
            name=name,
            role=role,
            hub_id=hub_id,
            revision=revision,
            license=self.get(entry, prefix, "license", str),
            max_input_tokens=max_in,
            generation=gen,
            description=self.get(entry, prefix, "description", str, ""),
        )

    def extractive(self, name: str, entry: dict[str, Any]) -> ModelSpec:
        """A built-in extractive summarizer: no hub id, revision, weights or generation."""
        prefix = f"models.{name}"
        known = {"role", "kind", "license", "description", "sentences"}
        unknown = set(entry) - known
        if unknown:
            raise self.fail(
                f"{prefix}.{sorted(unknown)[0]}",
                f"is not a field of an extractive model (known: {', '.join(sorted(known))})",
            )
        role = self.get(entry, prefix, "role", str)
        if role != "summarizer":
            raise self.fail(
                f"{prefix}.role", f"must be summarizer for kind extractive, got {role!r}"
            )
        sentences = self.get(entry, prefix, "sentences", int, DEFAULT_SENTENCES)
        if sentences < 1:
            raise self.fail(f"{prefix}.sentences", f"must be at least 1, got {sentences}")
        return ModelSpec(
            name=name,
            role="summarizer",
            hub_id=None,
            revision=None,
            license=self.get(entry, prefix, "license", str),
            max_input_tokens=0,
            generation=GenerationSettings(),
            description=self.get(entry, prefix, "description", str, ""),
            kind="extractive",
            sentences=sentences,
        )

    def generation(self, prefix: str, entry: Any) -> GenerationSettings:
        if not isinstance(entry, dict):
            raise self.fail(prefix, "must be a table")
        fields = GenerationSettings.__dataclass_fields__
        unknown = set(entry) - set(fields)
        if unknown:
            raise self.fail(
                f"{prefix}.{sorted(unknown)[0]}",
                f"is not a known setting (known: {', '.join(fields)})",
            )
        values: dict[str, Any] = {}
        for key, f in fields.items():
            kind = (
                float
                if key in {"length_penalty", "repetition_penalty", "max_new_tokens_ratio"}
                else int
            )
            if key in entry:
                value = self.get(entry, prefix, key, kind)
                if value is not None:
                    if value < 0:
                        raise self.fail(f"{prefix}.{key}", f"must not be negative, got {value}")
                    self.in_range(f"{prefix}.{key}", value, GENERATION_RANGES[key])
                values[key] = value
            del f
        settings = GenerationSettings(**values)
        if settings.min_new_tokens > settings.max_new_tokens:
            raise self.fail(
                f"{prefix}.min_new_tokens",
                f"must not exceed max_new_tokens ({settings.max_new_tokens}), "
                f"got {settings.min_new_tokens}",
            )
        return settings


def _looks_like_path(name: str) -> bool:
    return name.startswith((".", "/", "~")) or os.sep in name and not _HUB_ID.match(name)


def resolve(name: str | None, role: Role, registry: Registry) -> ModelSpec:
    """Turn an alias, a local directory or a hub id into a ModelSpec.

    Local directories and bare hub ids take the generation settings of the registry's
    default model for that role, so a local copy of opus-mt behaves like the alias.
    """
    if name is None:
        return registry.default(role)
    if name in registry.models:
        spec = registry.models[name]
        if spec.role != role:
            raise ModelError(
                f"'{name}' is a {spec.role}, not a {role}; "
                f"{role}s: {', '.join(registry.aliases(role))}"
            )
        return spec
    base = _seq2seq_base(role, registry)
    local = Path(name).expanduser()
    if local.is_dir():
        return replace(
            base,
            name=local.name or str(local),
            hub_id=None,
            revision=None,
            license="see the model's card",
            description=f"local directory {local}",
            path=local.resolve(),
        )
    try:
        found: str | None = file_kind(os.stat(local).st_mode)
    except (OSError, ValueError):
        found = None
    if found is not None:  # a file, a FIFO, a device: said as what it is, never opened
        raise ModelError(
            f"{name} is {found}, not a folder; a local model is a model folder (config.json, "
            "the weights and the tokenizer's files)"
        )
    if _HUB_ID.match(name) and not _looks_like_path(name) and local.parent.is_dir():
        # `models/marian` where ./models is a folder: a local folder that is missing, not a
        # hub model missing from the cache
        raise ModelError(
            f"{name}: no such model folder ({local.parent} is a folder here, but holds no "
            f"{local.name}); give the model's folder, or a hub id like org/name"
        )
    if _HUB_ID.match(name) and not _looks_like_path(name):
        return replace(
            base,
            name=name,
            hub_id=name,
            revision=None,
            license="see the model's card",
            description="hub model, not in the registry (unpinned: revision main)",
        )
    if _looks_like_path(name):
        raise ModelError(
            f"{name}: no such model folder; give the model's folder (or a registry alias: "
            f"{', '.join(registry.aliases(role))}, or a hub id like org/name)"
        )
    raise ModelError(
        f"unknown {role} '{name}'; known: {', '.join(registry.aliases(role))}; "
        "or pass a local model directory, or a hub id like org/name"
    )


def _seq2seq_base(role: Role, registry: Registry) -> ModelSpec:
    """The model whose settings a local directory or a hub id of ROLE takes: the default of
    its role, or (when that is built in) the first model of the role that is a real model."""
    default = registry.default(role)
    if not default.builtin:
        return default
    for spec in registry.models.values():
        if spec.role == role and not spec.builtin:
            return spec
    return replace(default, kind="seq2seq", max_input_tokens=512)


def resolve_for_pull(name: str, registry: Registry) -> ModelSpec:
    """An alias or a hub id to download; the role does not matter for a download."""
    if name in registry.models:
        return registry.models[name]
    if _HUB_ID.match(name) and not _looks_like_path(name) and not Path(name).exists():
        return resolve(name, "translator", registry)
    raise ModelError(
        f"unknown model '{name}'; known: {', '.join(registry.aliases())}; "
        "or give a hub id like org/name"
    )
