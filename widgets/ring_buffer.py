"""A fixed-capacity numpy ring buffer whose contents read as one contiguous array.

Charts append a point a second for hours; this keeps memory fixed and hands pyqtgraph
a view (no copy, no reallocation) of the newest ``capacity`` rows, oldest first.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


class RingBuffer:
    """Holds the newest ``capacity`` rows of ``columns`` float64 values.

    Every row is written twice (at i and i + capacity) so ``view()`` is always a
    contiguous slice of the doubled storage: O(1) append, zero-copy read.
    """

    def __init__(self, capacity: int, columns: int = 1) -> None:
        if capacity < 1 or columns < 1:
            raise ValueError("capacity and columns must be at least 1")
        self._cap = int(capacity)
        self._cols = int(columns)
        self._data = np.full((2 * self._cap, self._cols), np.nan, dtype=np.float64)
        self._next = 0  # where the next row goes, in [0, capacity)
        self._len = 0

    @property
    def capacity(self) -> int:
        return self._cap

    @property
    def columns(self) -> int:
        return self._cols

    def __len__(self) -> int:
        return self._len

    def append(self, row: npt.ArrayLike) -> None:
        """Add one row (``columns`` values); the oldest row drops out when full."""
        values = np.asarray(row, dtype=np.float64).reshape(-1)
        if values.shape[0] != self._cols:
            raise ValueError(f"expected {self._cols} value(s) per row, got {values.shape[0]}")
        self._data[self._next] = values
        self._data[self._next + self._cap] = values
        self._next = (self._next + 1) % self._cap
        self._len = min(self._len + 1, self._cap)

    def replace_last(self, row: npt.ArrayLike) -> None:
        """Overwrite the newest row (e.g. the current interval's growing count)."""
        if self._len == 0:
            raise IndexError("replace_last on an empty RingBuffer")
        values = np.asarray(row, dtype=np.float64).reshape(-1)
        if values.shape[0] != self._cols:
            raise ValueError(f"expected {self._cols} value(s) per row, got {values.shape[0]}")
        last = (self._next - 1) % self._cap
        self._data[last] = values
        self._data[last + self._cap] = values

    def last(self) -> npt.NDArray[np.float64] | None:
        """A copy of the newest row, or None when empty."""
        if self._len == 0:
            return None
        return self._data[(self._next - 1) % self._cap].copy()

    def extend(self, rows: npt.ArrayLike) -> None:
        """Add many rows at once (shape (n, columns), or (n,) for one column)."""
        arr = np.asarray(rows, dtype=np.float64)
        if arr.ndim == 1:
            arr = arr.reshape(-1, 1) if self._cols == 1 else arr.reshape(1, -1)
        if arr.ndim != 2 or arr.shape[1] != self._cols:
            raise ValueError(f"expected rows of {self._cols} value(s), got shape {arr.shape}")
        if arr.shape[0] >= self._cap:
            arr = arr[-self._cap:]
            self._data[: self._cap] = arr
            self._data[self._cap:] = arr
            self._next = 0
            self._len = self._cap
            return
        for row in arr:  # fewer than capacity rows: simple and still cheap
            self.append(row)

    def clear(self) -> None:
        """Forget every row."""
        self._next = 0
        self._len = 0

    def view(self) -> npt.NDArray[np.float64]:
        """The rows, oldest first, shape (len, columns); a read-only view valid until the next write."""
        start = (self._next - self._len) % self._cap
        out = self._data[start:start + self._len]
        out = out.view()
        out.flags.writeable = False
        return out

    def column(self, i: int) -> npt.NDArray[np.float64]:
        """Column ``i`` of ``view()`` (a strided view, no copy)."""
        return self.view()[:, i]
