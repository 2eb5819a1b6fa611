"""A JSON object read from storage, parsed only when first looked into.

Readers that only route or count events (catch-up, the relay's bookkeeping) never pay for parsing;
readers that do look parse once, with orjson.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any

import orjson


class JsonObject(Mapping[str, Any]):
    __slots__ = ("_text", "_value")

    def __init__(self, text: str | bytes) -> None:
        self._text = text
        self._value: dict[str, Any] | None = None

    @property
    def text(self) -> str:
        """The stored JSON text, as read (no re-encoding)."""
        return self._text if isinstance(self._text, str) else self._text.decode()

    @property
    def raw(self) -> str | bytes:
        """The stored JSON text as read, str or bytes (for parsers that take either)."""
        return self._text

    def parsed(self) -> dict[str, Any]:
        """The parsed object itself, not a copy: for readers that hand it on unchanged (hashing)."""
        return self._parsed()

    def _parsed(self) -> dict[str, Any]:
        if self._value is None:
            value = orjson.loads(self._text)
            if not isinstance(value, dict):
                raise TypeError(f"Stored JSON is a {type(value).__name__}, not an object")
            self._value = value
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self._parsed()[key]

    # The parsed dict's own views and lookups: Mapping's defaults go through __getitem__ once per key,
    # which a decode pays for every field of every event it reads.
    def __contains__(self, key: object) -> bool:
        return key in self._parsed()

    def get(self, key: str, default: Any = None) -> Any:
        return self._parsed().get(key, default)

    def keys(self) -> KeysView[str]:
        return self._parsed().keys()

    def items(self) -> ItemsView[str, Any]:
        return self._parsed().items()

    def values(self) -> ValuesView[Any]:
        return self._parsed().values()

    def __iter__(self) -> Iterator[str]:
        return iter(self._parsed())

    def __len__(self) -> int:
        return len(self._parsed())

    def __repr__(self) -> str:
        return f"JsonObject({self.text!r})"


def as_parsed(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """The parsed dict of a :class:`JsonObject` (not a copy: not to be changed), any other mapping as it is.

    For pydantic and other readers that take a ``dict`` by its fast path and any other mapping key by key.
    """
    return value.parsed() if isinstance(value, JsonObject) else value


def may_hold(value: Mapping[str, Any], fragment: str) -> bool:
    """Whether a string in ``value`` could contain ``fragment``; False only when it certainly does not.

    A :class:`JsonObject` is told by its stored text without parsing it: ``fragment`` is not in it, and no
    ``\\u`` escape is either (which could spell it). ``fragment`` must need no escaping in JSON. Any
    other mapping may hold it.
    """
    if not isinstance(value, JsonObject):
        return True
    text = value.text
    return fragment in text or "\\u" in text
