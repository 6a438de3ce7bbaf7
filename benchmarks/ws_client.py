"""A lean websocket client for benchmarks/ws_load_bench.py: the opening handshake and RFC 6455
frames on one asyncio protocol, nothing else.

Why not the `websockets` library: its receiving path (a parser generator, an assembler, a queue
and an iterator per message) cost the driver about 15 us a message, most of its CPU in the rush
(~560 messages a user flow), on the same cores as the server it measures. Here a message costs
a slice of a buffer. What the server receives is the same: the same upgrade request (but no
compression offered, which Streamlit's server declines by default; an answer that turns on an
extension is refused), and the same masked binary frames.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import struct
from collections.abc import Callable
from urllib.parse import urlsplit

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455, section 1.3
BINARY, TEXT, CONTINUATION, CLOSE, PING, PONG = 0x2, 0x1, 0x0, 0x8, 0x9, 0xA


class HandshakeFailed(OSError):
    """The server did not switch to the websocket protocol as asked."""


def mask(payload: bytes, key: bytes) -> bytes:
    """XOR with the 4-byte key, as one big integer (no loop over bytes)."""
    if not payload:
        return payload
    n = len(payload)
    keys = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "little") ^ int.from_bytes(keys, "little")).to_bytes(
        n, "little"
    )


def frame(opcode: int, payload: bytes, key: bytes | None = None) -> bytes:
    """One final frame, masked as a client's must be."""
    key = os.urandom(4) if key is None else key
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    return head + key + mask(payload, key)


class Socket(asyncio.Protocol):
    """One client websocket: `on_message(bytes)` for each whole message the server sends,
    `on_close()` once the connection is gone."""

    def __init__(self, on_message: Callable[[bytes], None], on_close: Callable[[], None]):
        self.on_message, self.on_close = on_message, on_close
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.upgraded: asyncio.Future[None] | None = None
        self.accept = b""
        self.parts: list[bytes] = []  # a fragmented message so far
        self.closed = False

    @classmethod
    async def connect(
        cls,
        url: str,
        *,
        subprotocols: list[str],
        origin: str,
        headers: dict[str, str],
        on_message: Callable[[bytes], None],
        on_close: Callable[[], None],
        timeout: float,
    ) -> Socket:
        place = urlsplit(url)
        socket = cls(on_message, on_close)
        loop = asyncio.get_running_loop()
        socket.upgraded = loop.create_future()
        key = base64.b64encode(os.urandom(16))
        socket.accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
        request = [
            f"GET {place.path or '/'}{'?' + place.query if place.query else ''} HTTP/1.1",
            f"Host: {place.netloc}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key.decode()}",
            "Sec-WebSocket-Version: 13",
            f"Sec-WebSocket-Protocol: {', '.join(subprotocols)}",
            f"Origin: {origin}",
            *(f"{name}: {value}" for name, value in headers.items()),
        ]

        async def opening() -> None:
            await loop.create_connection(lambda: socket, place.hostname, place.port or 80)
            socket.transport.write(("\r\n".join(request) + "\r\n\r\n").encode())
            await socket.upgraded

        try:
            await asyncio.wait_for(opening(), timeout)
        except BaseException:
            if socket.transport is not None:
                socket.transport.abort()
            raise
        return socket

    # -- asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded.done():
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
            del self.buffer[: end + 4]
            fields = {
                name.strip().lower(): value.strip()
                for name, _, value in (line.partition(":") for line in head[1:])
            }
            problem = None
            if head[0].split(" ", 2)[1:2] != ["101"]:
                problem = f"the server answered {head[0]!r}"
            elif fields.get("sec-websocket-accept", "").encode() != self.accept:
                problem = "a wrong Sec-WebSocket-Accept"
            elif fields.get("sec-websocket-extensions"):
                problem = (
                    f"an extension this client does not speak: {fields['sec-websocket-extensions']}"
                )
            if problem:
                self.upgraded.set_exception(HandshakeFailed(problem))
                self.transport.abort()
                return
            self.upgraded.set_result(None)
        self._frames()

    def _frames(self) -> None:
        buffer, at, size = self.buffer, 0, len(self.buffer)
        while size - at >= 2:
            first, second = buffer[at], buffer[at + 1]
            length, start = second & 0x7F, at + 2
            if length == 126:
                if size - start < 2:
                    break
                (length,) = struct.unpack_from("!H", buffer, start)
                start += 2
            elif length == 127:
                if size - start < 8:
                    break
                (length,) = struct.unpack_from("!Q", buffer, start)
                start += 8
            if second & 0x80:  # a server never masks (RFC 6455, 5.1)
                self._fail("a masked frame from the server")
                return
            if size - start < length:
                break
            payload = bytes(buffer[start : start + length])
            at = start + length
            self._frame(first & 0x80, first & 0x0F, payload)
            if self.closed:
                return
        del buffer[:at]

    def _frame(self, final: int, opcode: int, payload: bytes) -> None:
        if opcode in (BINARY, TEXT, CONTINUATION):
            if final and not self.parts:
                self.on_message(payload)
            elif final:
                self.on_message(b"".join([*self.parts, payload]))
                self.parts = []
            else:
                self.parts.append(payload)
        elif opcode == PING:
            self.transport.write(frame(PONG, payload))
        elif opcode == CLOSE:
            self.close(payload[:2] or struct.pack("!H", 1000))

    def _fail(self, why: str) -> None:
        self.close(struct.pack("!H", 1002) + why.encode()[:100])

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.upgraded is not None and not self.upgraded.done():
            self.upgraded.set_exception(exc or HandshakeFailed("the connection closed"))
        self.on_close()

    # -- what the client does

    def send(self, payload: bytes) -> None:
        if self.closed or self.transport.is_closing():
            raise ConnectionResetError("the websocket is closed")
        self.transport.write(frame(BINARY, payload))

    def close(self, reason: bytes = struct.pack("!H", 1000)) -> None:
        """Send a close frame and end the connection (without waiting for the server's)."""
        if not self.closed and self.transport is not None and not self.transport.is_closing():
            self.transport.write(frame(CLOSE, reason))
            self.transport.close()
        self.closed = True
