"""Figures kept in this process under a digest of their input: the first view after a write
works out afresh only what the write changed.

The kept figures (`scoring.insights.kept`) are a whole view, made cold by any write about a
candidate in its window. Most of such a view does not change with one write: a decision leaves
every score as it was, so agreement and the use of each scale are what they were, and the
engine says on every other panel what it said before. The pure functions behind those parts are
kept here under a digest of exactly what they read (`digest`: the frames' values, index, columns
and dtypes; anything else by its `repr`), never under who asked: two people get the same result
only for the same input, which both of them read, so nothing crosses a permission. Each `Memo`
holds a bounded number of results, the least recently used going first; results are copied out,
so no caller can change what another gets. Nothing here is shared between processes: a process
that never worked a figure out works it out once.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

_ALL: list[Memo] = []


class Memo:
    """At most `size` results, by digest; thread-safe."""

    def __init__(self, size: int):
        self.size = size
        self._kept: OrderedDict[bytes, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        _ALL.append(self)

    def get(self, key: bytes) -> Any | None:
        """The result kept under `key` (not a copy: callers copy), or None."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return found

    def put(self, key: bytes, value: Any) -> None:
        """Keep `value` under `key`, dropping the least recently used beyond `size`."""
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        """Drop every result and zero the counts."""
        with self._lock:
            self._kept.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._kept)


def forget() -> None:
    """Drop every result kept in this process by any `Memo` (the next view works everything out
    afresh)."""
    for memo in _ALL:
        memo.clear()


def digest(*parts: Any) -> bytes:
    """A digest of `parts`, exact for every value: a data frame or series by its dtypes, index
    and every value (pandas' own row hashes), an array by its bytes, a dict, list or tuple by
    each item in turn (a dict in key order); anything else by its `repr` (plain values, the
    engine's and the rubrics' models, whose repr is their whole content). pandas and numpy
    shorten their repr of a long series or array, so those are never taken by repr: two inputs
    that differ in one hidden row must never share a kept result."""
    h = hashlib.sha256()
    for part in parts:
        _feed(h, part)
    return h.digest()


def _feed(h, part: Any) -> None:
    if isinstance(part, pd.DataFrame | pd.Series):
        h.update(b"frame" if isinstance(part, pd.DataFrame) else b"series")
        dtypes = part.dtypes.items() if isinstance(part, pd.DataFrame) else [("", part.dtype)]
        h.update(repr([(str(c), str(t)) for c, t in dtypes]).encode())
        h.update(str(len(part)).encode())
        if len(part):
            rows = pd.util.hash_pandas_object(part, index=True).to_numpy()
            h.update(np.ascontiguousarray(rows).tobytes())
    elif isinstance(part, np.ndarray):
        h.update(f"array {part.dtype} {part.shape}".encode())
        if part.dtype == object:
            for item in part.ravel():
                _feed(h, item)
        else:
            h.update(np.ascontiguousarray(part).tobytes())
    elif isinstance(part, dict):
        h.update(f"dict {len(part)}".encode())
        for key, value in sorted(part.items(), key=lambda item: repr(item[0])):
            _feed(h, key)
            _feed(h, value)
    elif isinstance(part, list | tuple):
        h.update(f"{type(part).__name__} {len(part)}".encode())
        for item in part:
            _feed(h, item)
    else:
        h.update(b"value")
        h.update(repr(part).encode())
    h.update(b"\x00")


def of(memo: Memo, function: Callable[..., Any], *inputs: Any) -> Any:
    """`function(*inputs)`, kept in `memo` under a digest of the function's name and every
    input (`digest`); a copy each time."""
    key = digest(f"{function.__module__}.{function.__qualname__}", *inputs)
    found = memo.get(key)
    if found is None:
        found = function(*inputs)
        memo.put(key, found)
    return copy.deepcopy(found)
