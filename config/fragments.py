"""Rendered HTML remembered by a key that names everything it depends on."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class RenderedOnce:
    """A small per-process LRU of rendered HTML, for filter forms, menus and list rows whose key
    names everything the HTML depends on (language, the raw query, the choices, the row's
    values). Rendering a 10–20 field form through Django's templates costs 3–10 ms; most
    visitors ask for the same few forms."""

    def __init__(self, size: int = 256):
        self.size = size
        self._items: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], str]) -> str:
        with self._lock:
            html = self._items.get(key)
            if html is not None:
                self._items.move_to_end(key)
                return html
        html = render()
        with self._lock:
            self._items[key] = html
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
