"""Is a Ray cluster's head at an address? An answer in seconds, where ray.init retries for minutes.

A Ray head serves its GCS over gRPC: HTTP/2 without TLS. The probe speaks just enough HTTP/2 to
call one GCS method (``GetClusterId``, with the token ray.init would send) and reads the reply's
``grpc-status``. gRPC sends that header as a plain literal, so no HPACK decoder is needed; what
the probe cannot read is no verdict, and ray.init decides. Nothing of Ray is needed but the
token lookup.
"""

from __future__ import annotations

import importlib
import socket
import struct
import time
from enum import Enum

__all__ = ["Verdict", "probe_head"]

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
GCS_METHOD = b"/ray.rpc.NodeInfoGcsService/GetClusterId"
_DATA, _HEADERS, _RST_STREAM, _SETTINGS, _GOAWAY, _CONTINUATION = 0, 1, 3, 4, 7, 9
_END_STREAM, _END_HEADERS, _ACK = 0x1, 0x4, 0x1
_GRPC_OK, _GRPC_UNIMPLEMENTED, _GRPC_UNAUTHENTICATED = 0, 12, 16


class Verdict(Enum):
    RAY = "a Ray head"
    SILENT = "no answer"
    NOT_GRPC = "not gRPC"
    NOT_RAY = "gRPC, not Ray's GCS"
    UNAUTHENTICATED = "Ray, token refused"
    UNKNOWN = "no verdict"


def probe_head(
    sock: socket.socket, authority: str, deadline: float, *, call: bool = True
) -> Verdict:
    """What answers on SOCK (connected): a Ray head (its GCS), or what else. Without CALL, only
    whether it speaks gRPC's HTTP/2 (a Ray Client server: ``ray://``)."""
    hello = PREFACE + _frame(_SETTINGS, 0, 0)
    if call:
        block = b"".join(
            _literal(name, value)
            for name, value in [
                (b":method", b"POST"),
                (b":scheme", b"http"),
                (b":path", GCS_METHOD),
                (b":authority", authority.encode("ascii", "replace")),
                (b"content-type", b"application/grpc"),
                (b"te", b"trailers"),
                *_token_headers(),
            ]
        )
        empty_message = b"\x00\x00\x00\x00\x00"  # not compressed, 0 bytes
        hello += _frame(_HEADERS, _END_HEADERS, 1, block) + _frame(
            _DATA, _END_STREAM, 1, empty_message
        )
    try:
        sock.sendall(hello)
    except ConnectionError:
        pass  # a server that answers at once and hangs up (HTTP/1.1 400): read what it said
    try:
        return _read_reply(sock, deadline, call)
    except TimeoutError:
        return Verdict.SILENT
    except OSError:
        return Verdict.UNKNOWN


def _read_reply(sock: socket.socket, deadline: float, call: bool) -> Verdict:
    buffer = b""
    first = True
    block = b""
    data_seen = ending = False
    while True:
        while len(buffer) < 9 or len(buffer) < 9 + int.from_bytes(buffer[:3], "big"):
            left = deadline - time.monotonic()
            if left <= 0:
                return Verdict.SILENT if first else Verdict.UNKNOWN
            sock.settimeout(left)
            try:
                chunk = sock.recv(65536)
            except ConnectionError:  # reset: a gRPC server answers a preface, never resets it
                chunk = b""
            if not chunk:
                return Verdict.NOT_GRPC if first and len(buffer) < 9 else Verdict.UNKNOWN
            buffer += chunk
            if (
                first
                and (
                    buffer[0] != 0  # a SETTINGS frame is short: its length starts with a 0 byte
                    or (len(buffer) >= 9 and (buffer[3] != _SETTINGS or buffer[5:9] != bytes(4)))
                )
            ):
                return Verdict.NOT_GRPC  # an HTTP/2 server's first frame is its SETTINGS
        length = int.from_bytes(buffer[:3], "big")
        kind, flags = buffer[3], buffer[4]
        stream = int.from_bytes(buffer[5:9], "big") & 0x7FFFFFFF
        payload, buffer = buffer[9 : 9 + length], buffer[9 + length :]
        if first:
            first = False
            if not call:
                return Verdict.RAY  # speaks gRPC: the Ray Client's own check follows
        if kind == _SETTINGS and not flags & _ACK:
            try:
                sock.sendall(_frame(_SETTINGS, _ACK, 0))
            except ConnectionError:
                return Verdict.UNKNOWN
        elif kind == _GOAWAY or (kind == _RST_STREAM and stream == 1):
            return Verdict.UNKNOWN
        elif stream == 1 and kind == _DATA:
            data_seen = True
        elif stream == 1 and kind in (_HEADERS, _CONTINUATION):
            if kind == _HEADERS:  # the response's headers, or its trailers (END_STREAM)
                block, ending = payload, bool(flags & _END_STREAM)
            else:
                block += payload
            if ending and flags & _END_HEADERS:
                return _verdict(_grpc_status(block), data_seen)


def _verdict(status: int | None, data_seen: bool) -> Verdict:
    if status == _GRPC_OK and data_seen:
        return Verdict.RAY
    if status == _GRPC_UNIMPLEMENTED:
        return Verdict.NOT_RAY
    if status == _GRPC_UNAUTHENTICATED:
        return Verdict.UNAUTHENTICATED
    return Verdict.UNKNOWN


def _grpc_status(block: bytes) -> int | None:
    """The grpc-status in a header block, where it is a plain literal (gRPC's way)."""
    at = block.find(b"grpc-status")
    if at < 0 or at + 12 > len(block):
        return None
    size = block[at + 11]
    value = block[at + 12 : at + 12 + size]
    return int(value) if not size & 0x80 and value.isdigit() else None


def _frame(kind: int, flags: int, stream: int, payload: bytes = b"") -> bytes:
    return (
        struct.pack(">I", len(payload))[1:]
        + bytes([kind, flags])
        + struct.pack(">I", stream)
        + payload
    )


def _literal(name: bytes, value: bytes) -> bytes:
    """A header field as a literal without indexing, new name, no Huffman (RFC 7541 6.2.2)."""
    return b"\x00" + _length(len(name)) + name + _length(len(value)) + value


def _length(n: int) -> bytes:
    """An HPACK integer with a 7-bit prefix (RFC 7541 5.1)."""
    if n < 127:
        return bytes([n])
    out, n = [127], n - 127
    while n >= 128:
        out.append(n % 128 + 128)
        n //= 128
    return bytes([*out, n])


def _token_headers() -> list[tuple[bytes, bytes]]:
    """The authorization header ray.init would send (Ray's own token lookup: RAY_AUTH_TOKEN,
    RAY_AUTH_TOKEN_PATH, ~/.ray/auth_token), or none."""
    try:
        raylet = importlib.import_module("ray._raylet")
        loader = raylet.AuthenticationTokenLoader.instance()
        if not loader.has_token():
            return []
        headers = loader.get_token_for_http_header().items()
        return [(str(k).lower().encode(), str(v).encode()) for k, v in headers]
    except Exception:  # an older Ray, or no token support: probe without one
        return []
