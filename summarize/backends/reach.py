"""Reaching the Hugging Face hub: whether it answers, how long it may stay silent, and the one
error a user gets when a model is not cached and cannot be downloaded now.

A hub that accepts connections and never answers (a dead proxy, a wrong HF_ENDPOINT) used to
cost minutes: the hub client waits for each request and retries it five times. Before any
download, one request (no retries) asks the hub about the first missing model and waits at
most :func:`hub_timeout` seconds (25 by default, HF_HUB_DOWNLOAD_TIMEOUT to change it); when
it gets no answer, every missing model is named in one error, at once. The hub client's retry
lines are kept off the terminal: a retry is said once, by us.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlparse

from summarize.errors import ModelError, first_line
from summarize.registry import ModelSpec

__all__ = [
    "DEMO_HINT",
    "OFFLINE",
    "bound_hub_requests",
    "hub_offline",
    "hub_timeout",
    "hub_unreachable",
    "not_available",
    "unreachable",
]

log = logging.getLogger("summarize")

DEMO_HINT = "or try the tiny offline demo models: `summarize models demo DIR`"
OFFLINE = "offline mode is on (HF_HUB_OFFLINE or --offline)"
#: The default of hub_timeout(): the longest the hub may stay silent before we give up. 25 s,
#: so that a command against a silent hub ends within 30 s, its own start included.
HUB_TIMEOUT = 25.0
TIMEOUT_VARIABLE = "HF_HUB_DOWNLOAD_TIMEOUT"


def hub_offline() -> bool:
    """Whether HF_HUB_OFFLINE is set (the CLI's --offline sets it too)."""
    return os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false")


def hub_timeout() -> float:
    """Seconds the hub may stay silent: the probe's wait, and each request's (connect, read,
    write). HF_HUB_DOWNLOAD_TIMEOUT (the hub client's own variable) when it is a positive
    number, else 25."""
    try:
        value = float(os.environ.get(TIMEOUT_VARIABLE) or HUB_TIMEOUT)
    except ValueError:
        return HUB_TIMEOUT
    return value if 0 < value < float("inf") else HUB_TIMEOUT


def _seconds(value: float) -> str:
    return f"{value:g} s"


def hub_unreachable(spec: ModelSpec | None = None, timeout: float | None = None) -> str | None:
    """Why the hub cannot be reached now, or None when it answers.

    First a TCP connection (3 s at most; skipped behind a proxy, where it proves nothing),
    then one request through the hub client's own HTTP client (its proxy and certificates),
    without retries, that waits at most TIMEOUT seconds (hub_timeout()) for an answer: any
    answer, an error status included, means the hub is there. Only silence and a refused or
    failed connection count as unreachable; an error of another kind is left to the download,
    which says it better."""
    import socket

    from huggingface_hub import constants

    budget = hub_timeout() if timeout is None else timeout
    started = time.monotonic()
    url = urlparse(constants.ENDPOINT)
    host = url.hostname or "huggingface.co"
    proxied = any(
        os.environ.get(v) for v in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")
    )
    if not proxied:
        port = url.port or (80 if url.scheme == "http" else 443)
        try:
            socket.create_connection((host, port), timeout=min(3.0, budget)).close()
        except OSError as e:
            return f"{host}: {e.strerror or e}"
    left = max(0.5, budget - (time.monotonic() - started))
    return _probe(constants.ENDPOINT.rstrip("/"), host, spec, left, budget)


def _probe(
    endpoint: str, host: str, spec: ModelSpec | None, left: float, budget: float
) -> str | None:
    repo = spec.hub_id if spec is not None and spec.hub_id else "Helsinki-NLP/opus-mt-ar-en"
    revision = quote(spec.revision or "main", safe="") if spec is not None else "main"
    url = f"{endpoint}/api/models/{repo}/revision/{revision}"
    try:
        from huggingface_hub.utils import get_session  # type: ignore[attr-defined]

        session: Any = get_session()
    except ImportError:  # another hub client: urllib, with the environment's proxy
        session = None
    try:
        if session is not None:
            session.get(url, timeout=left, follow_redirects=False)
        else:
            import urllib.request

            urllib.request.urlopen(url, timeout=left).close()  # noqa: S310 (the hub's https URL)
    except Exception as e:
        if _kind_of(e, "Timeout"):
            return f"{host} accepted the connection but did not answer within {_seconds(budget)}"
        if _kind_of(e, "ConnectError", "ProxyError", "URLError"):
            return f"{host}: {first_line(e)[:160] or type(e).__name__}"
        return None  # an answer of some kind (an error status, TLS): the download says more
    return None


def _kind_of(e: BaseException, *names: str) -> bool:
    """Whether E is (or was raised from) an exception whose class name contains one of NAMES:
    the hub client's HTTP library is not ours to import (httpx, or its successor)."""
    seen: BaseException | None = e
    while seen is not None:
        if isinstance(seen, TimeoutError) and "Timeout" in names:
            return True
        if any(n in c.__name__ for c in type(seen).__mro__ for n in names):
            return True
        reason = getattr(seen, "reason", None)
        seen = reason if isinstance(reason, BaseException) else seen.__cause__
    return False


def unreachable(why: str) -> str:
    """WHY (from hub_unreachable or a failed download) as the reason in not_available."""
    return f"the hub cannot be reached ({why})"


def not_available(specs: Sequence[ModelSpec], why: str, *, pulling: bool = False) -> ModelError:
    """The error for models that are not cached and cannot be downloaded now: every one
    named, and every way out there is from where the user stands. PULLING (`models pull`):
    the ways out of a pull, never "run models pull" nor an option pull does not have."""
    names = ", ".join(f"'{s.name}' ({s.hub_id}@{(s.revision or 'main')[:12]})" for s in specs)
    what = f"model {names} is" if len(specs) == 1 else f"models {names} are"
    if pulling:
        if why == OFFLINE:
            return ModelError(
                f"cannot download {names.replace(', ', ' and ')}: {OFFLINE}; a pull needs the "
                "network: drop --offline, unset HF_HUB_OFFLINE"
            )
        return ModelError(
            f"cannot download {names.replace(', ', ' and ')}: {why}; check the network, the "
            f"proxy (HTTPS_PROXY) and HF_ENDPOINT, then try again ({TIMEOUT_VARIABLE}=SECONDS "
            f"waits longer than {_seconds(hub_timeout())} for a slow hub), or copy a cache "
            "that holds them (HF_HOME) from a machine that has them"
        )
    dirs = " and ".join(f"--{s.role} DIR" for s in specs)
    pull = " ".join(s.name for s in specs)
    light = (
        ", brief with no summarizer model at all: `--summarizer extractive`"
        if any(s.role == "summarizer" for s in specs)
        else ""
    )
    network = (
        "" if why == OFFLINE else "; --offline fails at once instead of waiting for the network"
    )
    return ModelError(
        f"{what} not in the local cache and {why}{network}; run `summarize models pull {pull}` "
        f"on a connected machine (then copy the cache, HF_HOME), pass a local directory with "
        f"{dirs}{light}, {DEMO_HINT}"
    )


class _RetriesSaidOnce(logging.Filter):
    """The hub client logs every failed request and every retry ("'timed out' thrown while
    requesting GET …", "Retrying in 1s [Retry 1/5]"). Drop them; the first is said once, as
    one line of ours."""

    said = False

    def filter(self, record: logging.LogRecord) -> bool:
        if not _RetriesSaidOnce.said:
            _RetriesSaidOnce.said = True
            log.warning(
                "the hub did not answer a request (%s); the hub client retries it a few times",
                record.getMessage().splitlines()[0][:120] if record.getMessage() else "",
            )
        return False


def bound_hub_requests() -> None:
    """Give every request of the hub client a timeout, and keep its retry lines quiet. Its
    HTTP client has none, and its API calls pass ``timeout=None`` explicitly, so an endpoint
    or proxy that accepts a connection and never answers hung a download for ever. A request
    hook fills every missing timeout (connect, read, write, pool) with hub_timeout()
    seconds."""
    import huggingface_hub

    logger = logging.getLogger("huggingface_hub.utils._http")
    if not any(isinstance(f, _RetriesSaidOnce) for f in logger.filters):
        logger.addFilter(_RetriesSaidOnce())
    try:
        from huggingface_hub.utils import _http

        default_factory = _http.default_client_factory
    except (ImportError, AttributeError):  # another hub client: its own defaults apply
        return
    seconds = hub_timeout()

    def bounded(request: Any) -> None:
        given = request.extensions.get("timeout") or {}
        request.extensions["timeout"] = {
            kind: given.get(kind) if given.get(kind) is not None else seconds
            for kind in ("connect", "read", "write", "pool")
        }

    def factory() -> Any:
        client = default_factory()
        client.event_hooks["request"] = [*client.event_hooks["request"], bounded]
        return client

    huggingface_hub.set_client_factory(factory)
