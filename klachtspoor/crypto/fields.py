"""Personal fields inside JSON documents: encrypt them at marked paths, decrypt or mask them on reading.

Paths are patterns of object keys with ``"*"`` for every item of a list, as the contracts report them,
e.g. ``("complainant", "name")`` or ``("messages", "*", "text")``. Encryption binds each value to its
concrete path (list items by index).

Reading does not need the paths: every string with the reserved prefix is a ciphertext, because writing
refuses any other string that starts with it. So a document is decrypted exactly as it was stored, before
any upcaster reshapes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from klachtspoor.crypto.aead import PREFIX, JsonPath, is_ciphertext, parse_token, show_path
from klachtspoor.crypto.errors import CryptoError

PathPattern = tuple[str, ...]
"""Object keys, with ``"*"`` standing for every item of a list."""

ANY_ITEM = "*"


class ReservedPrefix(CryptoError):
    """A value that is not encrypted starts with the ciphertext prefix, so it would read as one."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"Value at {path} starts with the reserved prefix 'enc:' but is not a personal field"
        )


@dataclass(slots=True)
class PathTrie:
    """The marked paths of one model, as a tree, built once per event class."""

    children: dict[str, PathTrie] = field(default_factory=dict)
    terminal: bool = False

    @classmethod
    def build(cls, patterns: Iterable[PathPattern]) -> PathTrie:
        root = cls()
        for pattern in patterns:
            node = root
            for part in pattern:
                node = node.children.setdefault(part, cls())
            node.terminal = True
        return root

    @property
    def empty(self) -> bool:
        return not self.children and not self.terminal


def pattern_of(path: JsonPath) -> PathPattern:
    """The pattern a concrete path matches: list indices become ``"*"``."""
    return tuple(ANY_ITEM if isinstance(part, int) else part for part in path)


def encrypt_fields(data: Mapping[str, Any], marked: PathTrie, encrypt: Callable[[JsonPath, Any], str]) -> Any:
    """A copy of ``data`` with every non-null value at a marked path replaced by ``encrypt(path, value)``.

    Raises :class:`ReservedPrefix` when an unmarked string starts with the ciphertext prefix.
    """
    return _map(data, marked, (), encrypt, reserve=True)


def map_marked(data: Mapping[str, Any], marked: PathTrie, fn: Callable[[JsonPath, Any], Any]) -> Any:
    """A copy of ``data`` with every non-null value at a marked path replaced by ``fn(path, value)``."""
    return _map(data, marked, (), fn, reserve=False)


def check_unmarked(data: Mapping[str, Any]) -> None:
    """Raise :class:`ReservedPrefix` if any string in ``data`` starts with the ciphertext prefix."""
    _map(data, None, (), _unreachable, reserve=True)


def _unreachable(path: JsonPath, value: Any) -> Any:
    raise AssertionError(f"No path is marked, yet {show_path(path)} was visited as marked")


def has_marked_values(data: Any, marked: PathTrie | None) -> bool:
    """Whether any marked path holds a value other than null: only then does an event need a case key."""
    if marked is None:
        return False
    if marked.terminal:
        return data is not None
    if isinstance(data, Mapping):
        return any(has_marked_values(item, marked.children.get(key)) for key, item in data.items())
    if isinstance(data, list | tuple):
        child = marked.children.get(ANY_ITEM)
        return any(has_marked_values(item, child) for item in data)
    return False


def _map(
    value: Any, node: PathTrie | None, path: JsonPath, fn: Callable[[JsonPath, Any], Any], *, reserve: bool
) -> Any:
    if node is not None and node.terminal:
        return None if value is None else fn(path, value)
    if isinstance(value, Mapping):
        return {
            key: _map(item, node.children.get(key) if node else None, (*path, key), fn, reserve=reserve)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        child = node.children.get(ANY_ITEM) if node else None
        return [_map(item, child, (*path, index), fn, reserve=reserve) for index, item in enumerate(value)]
    if reserve and is_ciphertext(value):
        raise ReservedPrefix(show_path(path))
    return value


def first_key_id(data: Any, path: JsonPath = ()) -> str | None:
    """The key id named by the first ciphertext in ``data``, or None when nothing is encrypted."""
    if isinstance(data, Mapping):
        items: Iterable[tuple[str | int, Any]] = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return parse_token(path, data)[0] if is_ciphertext(data) else None
    for key, item in items:
        found = first_key_id(item, (*path, key))
        if found is not None:
            return found
    return None


def replace_ciphertexts(data: Any, replace: Callable[[JsonPath, str], Any], path: JsonPath = ()) -> Any:
    """A copy of ``data`` with every ciphertext replaced by ``replace(path, token)``: plaintext or mask.

    Runs once per event on every decode (a replay decodes a whole case): parsed JSON holds exact
    ``dict``, ``list`` and ``str`` values, so those are told by their type and a child's path is built
    only when it is needed (a ciphertext, or a container to go into); anything else takes the general way.
    """
    kind = type(data)
    if kind is dict:
        return {key: _replaced(item, replace, path, key) for key, item in data.items()}
    if kind is list:
        return [_replaced(item, replace, path, index) for index, item in enumerate(data)]
    if isinstance(data, Mapping):
        return {key: _replaced(item, replace, path, key) for key, item in data.items()}
    if isinstance(data, list):
        return [_replaced(item, replace, path, index) for index, item in enumerate(data)]
    if is_ciphertext(data):
        return replace(path, data)
    return data


def _replaced(value: Any, replace: Callable[[JsonPath, str], Any], path: JsonPath, key: str | int) -> Any:
    kind = type(value)
    if kind is str:
        return replace((*path, key), value) if value.startswith(PREFIX) else value
    if value is None or kind is int or kind is bool or kind is float:
        return value
    return replace_ciphertexts(value, replace, (*path, key))
