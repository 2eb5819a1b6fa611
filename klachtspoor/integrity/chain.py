"""The hash chain of a stream: each event's canonical stored form, its SHA-256, and where both travel.

Every event written through :class:`~klachtspoor.integrity.store.ChainedEventStore` carries
``metadata["chain"] = {"v": 1, "prev": <hex>, "hash": <hex>}``: ``prev`` is the hash of the stream's
previous event (64 zeros for the first), ``hash`` the SHA-256 of the event's canonical form, which covers
everything stored about it except the store's own bookkeeping (version, position, recorded_at) and the
``hash`` field itself. The version is pinned by ``prev`` instead: a moved event no longer follows its
predecessor. The data is hashed as stored, ciphertexts included, so erasing a case (deleting its key)
changes nothing that is hashed. The form is specified byte for byte in docs/integrity.md.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import ItemsView, Iterator, Mapping
from typing import Any, NamedTuple
from uuid import UUID

import orjson

from klachtspoor.eventstore.errors import InvalidAppend
from klachtspoor.eventstore.jsondoc import JsonObject
from klachtspoor.eventstore.port import NewEvent, RecordedEvent

CHAIN_KEY = "chain"
"""The metadata key of the chain link; reserved: callers' metadata may not use it."""
CHAIN_VERSION = 1
FORM_VERSION = 1
"""The first element of the canonical form: a later form can be told apart from this one."""
ZERO_HASH = "0" * 64
"""``prev`` of a stream's first event."""
CHAIN_OVERHEAD = len(f',"{CHAIN_KEY}":{{"v":{CHAIN_VERSION},"prev":"{ZERO_HASH}","hash":"{ZERO_HASH}"}}')
"""Bytes the chain link adds to an event's stored metadata, at most (the comma only when it is not empty)."""
_UNSAFE_FLOAT = 1e16
"""From here on Python writes floats in exponent form without a point (``1e+16``), which PostgreSQL's
jsonb gives back as an integer: such a float would not hash the same after a round trip."""


class ChainLink(NamedTuple):
    version: int
    """The format of the link (1)."""
    prev: str
    hash: str


def canonical_form(
    stream: str,
    event_id: UUID,
    type: str,
    tenant: str,
    schema_version: int,
    data: Mapping[str, Any],
    metadata: Mapping[str, Any],
) -> bytes:
    """``[1, stream, event id, type, tenant, schema version, data, metadata]`` as compact UTF-8 JSON with
    object keys sorted, where ``metadata`` is the stored metadata with ``chain.hash`` left out."""
    return orjson.dumps(
        [FORM_VERSION, stream, str(event_id), type, tenant, schema_version, _plain(data), _plain(metadata)],
        option=orjson.OPT_SORT_KEYS,
    )


def content_hash(form: bytes) -> str:
    return hashlib.sha256(form).hexdigest()


def new_event_hash(stream: str, event: NewEvent, metadata: Mapping[str, Any]) -> str:
    """The hash of an event about to be appended; ``metadata`` already holds its ``chain.prev``."""
    form = canonical_form(
        stream, event.event_id, event.type, event.tenant, event.schema_version, event.data, metadata
    )
    return content_hash(form)


def recorded_hash(event: RecordedEvent) -> str:
    """The hash of a stored event recomputed from what is stored (a stored ``chain.hash`` is left out).

    An event written before chaining existed (no ``chain``) hashes the same way, over its metadata as
    stored: that is the implicit hash its successor's ``prev`` and the global anchors refer to.
    Runs once per event on a whole-log check: one parse of each JSON object, one serialisation.
    """
    metadata = stored_metadata(event.metadata)
    chain = metadata.get(CHAIN_KEY)
    if type(chain) is dict and "hash" in chain:
        metadata = metadata.copy() if type(metadata) is dict else dict(metadata)
        link = chain.copy()
        del link["hash"]
        metadata[CHAIN_KEY] = link
    form = orjson.dumps(
        [
            FORM_VERSION,
            event.stream,
            str(event.event_id),
            event.type,
            event.tenant,
            event.schema_version,
            _plain(event.data),
            metadata,
        ],
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(form).hexdigest()


def link_of(event: RecordedEvent) -> ChainLink | None:
    """The event's stored chain link; None when it has none (written before chaining existed).

    A ``chain`` that is not a well-formed link reads as a link with empty hashes, which never matches.
    """
    return _link(stored_metadata(event.metadata).get(CHAIN_KEY))


def _link(chain: object) -> ChainLink | None:
    if chain is None:
        return None
    if not isinstance(chain, Mapping):
        return ChainLink(-1, "", "")
    version, prev, hash_ = chain.get("v"), chain.get("prev"), chain.get("hash")
    return ChainLink(
        version if type(version) is int else -1,
        prev if type(prev) is str else "",
        hash_ if type(hash_) is str else "",
    )


def hash_and_link(event: RecordedEvent) -> tuple[str, ChainLink | None]:
    """:func:`recorded_hash` and :func:`link_of` at once: the metadata is looked into once."""
    return recorded_hash(event), _link(stored_metadata(event.metadata).get(CHAIN_KEY))


def chained_metadata(metadata: Mapping[str, Any], prev: str) -> dict[str, Any]:
    """The caller's metadata with the link's ``v`` and ``prev``, ready to be hashed."""
    if CHAIN_KEY in metadata:
        raise InvalidAppend(f"Metadata key {CHAIN_KEY!r} is reserved for the hash chain")
    return {**metadata, CHAIN_KEY: {"v": CHAIN_VERSION, "prev": prev}}


def check_hashable(event: NewEvent) -> None:
    """Refuse a payload whose stored form would not read back as the same JSON (and so not hash the same).

    Non-finite floats are refused by the port already; what is left is a float of magnitude 1e16 or more
    and negative zero, which PostgreSQL's jsonb gives back as an integer and as zero.
    """
    for where, value in (("data", event.data), ("metadata", event.metadata)):
        bad = next(_unsafe_floats(value, where), None)
        if bad is not None:
            raise InvalidAppend(
                f"Event {event.event_id} ({event.type}) has a float at {bad} that would not read back the"
                " same (magnitude 1e16 or more, or -0.0): store it as an integer or a string"
            )


def _unsafe_floats(value: object, path: str) -> Iterator[str]:
    match value:
        case float() if _changes_in_storage(value):
            yield path
        case Mapping():
            for key, item in value.items():
                yield from _unsafe_floats(item, f"{path}.{key}")
        case list() | tuple():
            for index, item in enumerate(value):
                yield from _unsafe_floats(item, f"{path}[{index}]")
        case _:
            return


def _changes_in_storage(value: float) -> bool:
    negative_zero = value == 0 and math.copysign(1.0, value) < 0
    return negative_zero or abs(value) >= _UNSAFE_FLOAT


def stored_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata as stored, chain link included, also behind a :class:`ChainedMetadata` view."""
    return _plain(metadata.stored if type(metadata) is ChainedMetadata else metadata)


def _plain(value: Mapping[str, Any]) -> dict[str, Any]:
    """A dict orjson serialises, not to be changed: stored JSON parsed, a view's stored mapping, a copy."""
    kind = type(value)
    if kind is dict:
        return value  # type: ignore[return-value]
    if kind is JsonObject:
        return value.parsed()  # type: ignore[attr-defined,no-any-return]
    if kind is ChainedMetadata:
        return _plain(value.stored)  # type: ignore[attr-defined]
    return dict(value)


class ChainedMetadata(Mapping[str, Any]):
    """An event's metadata as the caller wrote it: the stored metadata without the chain link.

    Reads through :class:`~klachtspoor.integrity.store.ChainedEventStore` return this view, so the port's
    promise that metadata reads back as written still holds; :func:`link_of` and :func:`recorded_hash`
    see the link through :attr:`stored`. Nothing is parsed until the view is looked into.
    """

    __slots__ = ("stored",)

    def __init__(self, stored: Mapping[str, Any]) -> None:
        self.stored = stored

    def __getitem__(self, key: str) -> Any:
        if key == CHAIN_KEY:
            raise KeyError(key)
        return self.stored[key]

    # Direct lookups and one filtered copy for items(): Mapping's defaults go through __getitem__ (and
    # the stored mapping's) once per key, on every event a decode reads.
    def __contains__(self, key: object) -> bool:
        return key != CHAIN_KEY and key in self.stored

    def get(self, key: str, default: Any = None) -> Any:
        return default if key == CHAIN_KEY else self.stored.get(key, default)

    def items(self) -> ItemsView[str, Any]:
        return {key: value for key, value in self.stored.items() if key != CHAIN_KEY}.items()

    def __iter__(self) -> Iterator[str]:
        return (key for key in self.stored if key != CHAIN_KEY)

    def __len__(self) -> int:
        return len(self.stored) - (CHAIN_KEY in self.stored)

    def __repr__(self) -> str:
        return f"ChainedMetadata({self.stored!r})"
