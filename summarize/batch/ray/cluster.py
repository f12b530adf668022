"""Finding, probing, joining and leaving a Ray cluster.

A wrong address fails in seconds with one line, before Ray itself would retry for minutes; a
cluster this process starts is shut down when it leaves.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import os
import signal
import socket
import sys
import threading
import time
from typing import Any

from summarize.batch.ray.options import host_port
from summarize.batch.ray.probe import Verdict, probe_head
from summarize.errors import SummarizeError, UsageError, first_line

__all__ = [
    "RayJobFailed",
    "RayNotInstalled",
    "choose_cluster",
    "cluster_totals",
    "is_local",
    "join",
    "leave",
    "probe",
    "require_ray",
]

INSTALL_HINT = "pip install 'summarize[ray]'"
PROBE_SECONDS = 5.0


class RayNotInstalled(UsageError):
    """--executor ray without the optional extra."""


class RayJobFailed(SummarizeError):
    """Ray stopped the job: workers lost for good, a cluster that went away."""


def require_ray() -> None:
    """Raise RayNotInstalled, with the way out, where Ray Data cannot be imported."""
    try:
        importlib.import_module("ray.data")
    except ImportError as e:
        raise RayNotInstalled(
            f"--executor ray needs Ray, which is not installed ({e}): {INSTALL_HINT}"
        ) from None


def join(target: str | None, *, local_cpus: int | None, verbose: bool) -> None:
    """ray.init: a new local cluster (TARGET None) of LOCAL_CPUS, or the cluster at TARGET."""
    import ray

    level = logging.WARNING if verbose else logging.ERROR
    # ray.init replaces the SIGTERM handler (the CLI's turns SIGTERM into a clean stop);
    # ours is put back, and leave() shuts the cluster down on the way out.
    sigterm = _sigterm_handler()
    try:
        if target is None:
            ray.init(
                address="local",
                num_cpus=local_cpus,
                include_dashboard=False,
                log_to_driver=verbose,
                logging_level=level,
            )
        else:
            try:
                ray.init(address=target, log_to_driver=verbose, logging_level=level)
            except ConnectionError as e:
                raise UsageError(
                    f"cannot join the Ray cluster at {target}: {first_line(e)}"
                ) from None
    finally:
        if sigterm is not None:
            signal.signal(signal.SIGTERM, sigterm)


def leave(verbose: bool) -> None:
    """ray.shutdown: disconnect, and stop a local cluster this process started."""
    import ray

    # ray.shutdown() prints the worker messages it held back (to drop repeats) to sys.stdout,
    # from this thread.
    with contextlib.redirect_stdout(sys.stderr if verbose else io.StringIO()):
        ray.shutdown()


def _sigterm_handler() -> Any:
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.getsignal(signal.SIGTERM)


def choose_cluster(address: str | None) -> str | None:
    """The address to join, or None to start a local cluster."""
    if address == "local":
        return None
    found = running_cluster()
    if address == "auto":
        if found is None:
            raise UsageError(
                "--ray-address auto: no running Ray cluster found (no RAY_ADDRESS, no "
                "`ray start` on this machine); start one, or leave out --ray-address to run "
                "on a local cluster"
            )
        probe(found)
        return found
    if address is not None:
        return address
    if found is not None and reachable(found):
        return found
    return None


def running_cluster() -> str | None:
    """RAY_ADDRESS, or the cluster a `ray start` on this machine left its address for."""
    env = os.environ.get("RAY_ADDRESS", "").strip()
    if env:
        return env
    try:  # Ray's own lookup; private, so any failure means "none found"
        services = importlib.import_module("ray._private.services")
        found = services.canonicalize_bootstrap_address("auto")
    except Exception:
        return None
    return str(found) if found else None


def reachable(address: str) -> bool:
    try:
        probe(address)
    except UsageError:
        return False
    return True


def probe(address: str) -> None:
    """Fail in seconds, with one line, where ray.init would retry for minutes and print Ray's
    own log lines: nothing listens there, something that is not a Ray head does, or the head
    refuses this machine's token."""
    try:
        host, port = host_port(address)
    except ValueError:
        raise UsageError(f"not a Ray address: {address!r}; use HOST:PORT") from None
    where = (
        "the head's address is HOST:6379 by default (`ray status` on the head node prints it); "
        "or leave out --ray-address to run on a local cluster"
    )
    try:
        with socket.create_connection((host, port), timeout=PROBE_SECONDS) as sock:
            client = address.startswith("ray://")
            deadline = time.monotonic() + PROBE_SECONDS
            verdict = probe_head(sock, f"{host}:{port}", deadline, call=not client)
    except socket.gaierror:
        raise UsageError(f"cannot reach a Ray cluster at {address}: unknown host {host}") from None
    except OSError as e:
        reason = e.strerror or type(e).__name__
        raise UsageError(f"cannot reach a Ray cluster at {address} ({reason}); {where}") from None
    refused = {
        Verdict.NOT_GRPC: f"{address} is not a Ray cluster: something listens there, but it "
        f"does not speak Ray's protocol (gRPC); {where}",
        Verdict.SILENT: f"{address} is not a Ray cluster: something accepts connections there "
        f"but gave no answer in {PROBE_SECONDS:g} s; {where}",
        Verdict.NOT_RAY: f"{address} is a gRPC server but not a Ray cluster's head (a Ray "
        f"Client server takes ray://{address}); {where}",
        Verdict.UNAUTHENTICATED: f"the Ray cluster at {address} refused this machine's "
        "authentication token (or there is none): copy the head node's ~/.ray/auth_token to "
        "this machine, or set RAY_AUTH_TOKEN, then rerun",
    }
    if verdict in refused:
        raise UsageError(refused[verdict])


def cluster_totals(ray: Any) -> tuple[float, float]:
    totals = ray.cluster_resources()
    return float(totals.get("CPU", 0.0)), float(totals.get("GPU", 0.0))


def is_local(ray: Any) -> bool:
    """Whether the cluster is this one machine (one node, this host)."""
    try:
        nodes = [n for n in ray.nodes() if n.get("Alive")]
        here = ray.util.get_node_ip_address()
    except Exception:
        return False
    return len(nodes) == 1 and nodes[0].get("NodeManagerAddress") == here
