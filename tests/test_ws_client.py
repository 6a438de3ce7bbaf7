"""The load benchmark's lean websocket client (benchmarks/ws_client.py) speaks RFC 6455 as the
`websockets` library reads and writes it: its masked frames parse there at every length class,
and it reads that library's server frames however TCP cuts them, fragmented messages, pings and
a close included; a server that masks or an answer with an extension is refused."""

from __future__ import annotations

import asyncio
import random
import sys
from pathlib import Path

import pytest
from websockets.frames import BINARY as OP_BINARY
from websockets.frames import CLOSE as OP_CLOSE
from websockets.frames import CONT as OP_CONT
from websockets.frames import PING as OP_PING
from websockets.frames import PONG as OP_PONG
from websockets.frames import Frame
from websockets.streams import StreamReader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import ws_client


def parse(data: bytes, *, mask: bool) -> Frame:
    reader = StreamReader()
    reader.feed_data(data)
    parser = Frame.parse(reader.read_exact, mask=mask, max_size=None, extensions=[])
    try:
        next(parser)
    except StopIteration as done:
        return done.value
    raise AssertionError("the frame was not whole")


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 70001])
def test_its_frames_are_masked_and_parse_in_websockets(size):
    payload = random.Random(size).randbytes(size)
    data = ws_client.frame(ws_client.BINARY, payload)
    assert data[1] & 0x80  # masked, as a client must
    found = parse(data, mask=True)
    assert (found.opcode, found.fin, found.data) == (OP_BINARY, True, payload)


class Transport:
    def __init__(self):
        self.written: list[bytes] = []
        self.closing = False

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def abort(self) -> None:
        self.closing = True


def upgraded_socket() -> tuple[ws_client.Socket, list[bytes], Transport]:
    got: list[bytes] = []
    socket = ws_client.Socket(got.append, lambda: None)
    transport = Transport()
    socket.connection_made(transport)
    socket.upgraded = asyncio.new_event_loop().create_future()
    socket.upgraded.set_result(None)
    return socket, got, transport


def test_it_reads_server_frames_however_tcp_cuts_them():
    messages = [random.Random(n).randbytes(n) for n in (0, 5, 125, 126, 300, 65536, 70000)]
    stream = b"".join(Frame(OP_BINARY, m).serialize(mask=False, extensions=[]) for m in messages)
    # one message in three fragments, with a ping between two of them
    stream += Frame(OP_BINARY, b"abc", fin=False).serialize(mask=False, extensions=[])
    stream += Frame(OP_PING, b"hi").serialize(mask=False, extensions=[])
    stream += Frame(OP_CONT, b"def", fin=False).serialize(mask=False, extensions=[])
    stream += Frame(OP_CONT, b"g").serialize(mask=False, extensions=[])
    stream += Frame(OP_CLOSE, b"\x03\xe8").serialize(mask=False, extensions=[])
    for seed in range(5):
        socket, got, transport = upgraded_socket()
        cut, at = random.Random(seed), 0
        while at < len(stream):
            step = cut.choice([1, 2, 3, 7, 100, 5000])
            socket.data_received(stream[at : at + step])
            at += step
        assert got == [*messages, b"abcdefg"]
        pong, close = (parse(w, mask=True) for w in transport.written)
        assert (pong.opcode, pong.data) == (OP_PONG, b"hi")
        assert (close.opcode, close.data) == (OP_CLOSE, b"\x03\xe8")
        assert transport.closing


def test_a_masked_server_frame_or_an_extension_is_refused():
    socket, got, transport = upgraded_socket()
    socket.data_received(Frame(OP_BINARY, b"x").serialize(mask=True, extensions=[]))
    assert got == [] and transport.closing

    got = []
    socket = ws_client.Socket(got.append, lambda: None)
    socket.connection_made(Transport())
    socket.upgraded = asyncio.new_event_loop().create_future()
    socket.accept = b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    socket.data_received(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
        b"Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n"
    )
    with pytest.raises(ws_client.HandshakeFailed, match="extension"):
        socket.upgraded.result()
