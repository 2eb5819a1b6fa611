"""The event codec: the one place where typed events become stored events and back.

Encoding turns an :class:`~contracts.envelope.Envelope` into the port's :class:`NewEvent`: ``data`` is the
event dumped to JSON with its personal fields encrypted under the case key, ``metadata`` holds only
``case_id``, ``correlation_id``, ``causation_id``, ``traceparent``, ``actor`` and ``occurred_at``.

Decoding turns a :class:`RecordedEvent` back into an envelope: ciphertexts are decrypted (or replaced by
their masks once the case is erased) exactly as stored, then the payload is upcast and validated by the
contracts, so readers always get the current version of a valid event.

Errors are typed: :class:`~contracts.errors.UnknownEventType`, :class:`~contracts.errors.UnknownSchemaVersion`
and :class:`~contracts.errors.EventValidationError` from the contracts; :class:`InvalidEnvelope` for bad
metadata; the :mod:`klachtspoor.crypto` errors (``CaseErased``, ``DecryptionFailed``, …) for keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from contracts.base import Actor, Event
from contracts.envelope import Envelope
from contracts.errors import UnknownEventType
from contracts.events import EVENT_CLASSES, AnyEvent
from contracts.personal import DEFAULT_MASK, personal_fields
from contracts.registry import dump_event, parse_current_json, parse_event
from klachtspoor.crypto.aead import PREFIX, JsonPath
from klachtspoor.crypto.fields import (
    PathPattern,
    PathTrie,
    check_unmarked,
    encrypt_fields,
    first_key_id,
    has_marked_values,
    map_marked,
    pattern_of,
    replace_ciphertexts,
)
from klachtspoor.crypto.keyring import Keyring
from klachtspoor.eventstore.jsondoc import JsonObject, as_parsed, may_hold
from klachtspoor.eventstore.port import NewEvent, RecordedEvent

METADATA_FIELDS = frozenset(
    {"case_id", "correlation_id", "causation_id", "traceparent", "actor", "occurred_at"}
)
"""What travels in an event's metadata: ids, trace context, the actor's opaque id and role, a time."""


_MASK_CACHE_SIZE = 1024


class CodecError(Exception):
    """Base of the errors the codec itself raises (contracts and crypto errors pass through)."""


class InvalidEnvelope(CodecError):
    """Envelope fields (metadata, tenant, stream, ids) do not validate; names the fields, not values."""

    def __init__(self, event_id: object, stream: str, problems: tuple[str, ...]) -> None:
        self.event_id, self.stream, self.problems = event_id, stream, problems
        super().__init__(f"Invalid envelope of event {event_id} (Stream: {stream}): {'; '.join(problems)}")

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(problem.partition(": ")[0] for problem in self.problems)


@dataclass(frozen=True, slots=True)
class EventPlan:
    """What the codec knows of one event class, worked out once when the codec is built."""

    cls: type[Event]
    marked: PathTrie
    masks: Mapping[PathPattern, str]
    _by_path: dict[JsonPath, str] = field(default_factory=dict, compare=False, repr=False)
    """:meth:`mask` by concrete path, filled as paths come by (a few per type; bounded all the same)."""

    @classmethod
    def of(cls, event_cls: type[Event]) -> EventPlan:
        fields = personal_fields(event_cls)
        return cls(event_cls, PathTrie.build(f.path for f in fields), {f.path: f.marker.mask for f in fields})

    def mask(self, path: JsonPath, _: object = None) -> str:
        """The mask of the field at ``path``; the default one for a field of an older schema version."""
        found = self._by_path.get(path)
        if found is None:
            found = self.masks.get(pattern_of(path), DEFAULT_MASK)
            if len(self._by_path) < _MASK_CACHE_SIZE:
                self._by_path[path] = found
        return found

    def masked_data(self, recorded: RecordedEvent) -> Mapping[str, Any]:
        """``recorded``'s payload with every ciphertext replaced by its mask, for a reader without keys.

        Most stored payloads hold no ciphertext at all; one whose stored text shows it holds none
        (:func:`~klachtspoor.eventstore.jsondoc.may_hold`) and is at the current schema version is given
        as parsed, not copied: the same value the copy would be, for :func:`~contracts.registry.parse_event`
        to validate (it copies before upcasting, and at the current version no upcaster runs). Not to be
        changed by the caller.
        """
        if recorded.schema_version == self.cls.schema_version and not may_hold(recorded.data, PREFIX):
            return as_parsed(recorded.data)
        masked: Mapping[str, Any] = replace_ciphertexts(as_parsed(recorded.data), self.mask)
        return masked

    def masked_event(self, recorded: RecordedEvent) -> AnyEvent:
        """The typed event of :meth:`masked_data`: ``parse_event`` of it, or, for a payload whose stored
        text holds no ciphertext at the current schema version, the text validated by pydantic as it is
        (:func:`~contracts.registry.parse_current_json`), without parsing it into a dict first."""
        data = recorded.data
        if (
            recorded.schema_version == self.cls.schema_version
            and isinstance(data, JsonObject)
            and not may_hold(data, PREFIX)
        ):
            return parse_current_json(recorded.type, data.raw)
        return parse_event(recorded.type, recorded.schema_version, self.masked_data(recorded))


class EventCodec:
    """Encodes envelopes for :meth:`EventStore.append` and decodes what the store returns."""

    def __init__(self, keyring: Keyring, event_classes: Iterable[type[Event]] = EVENT_CLASSES) -> None:
        self.keyring = keyring
        self._plans = {cls.event_type: EventPlan.of(cls) for cls in event_classes}

    def plan(self, type_name: str) -> EventPlan:
        plan = self._plans.get(type_name)
        if plan is None:
            raise UnknownEventType(type_name)
        return plan

    async def encode(self, envelope: Envelope) -> NewEvent:
        """The event to append to ``envelope.stream``; personal values encrypted under the case key.

        Raises :class:`~klachtspoor.crypto.CaseErased` when the event carries personal values for an
        erased case, and :class:`~klachtspoor.crypto.ReservedPrefix` for an unmarked value that would
        read as a ciphertext. Events without personal values need no key.
        """
        plan = self.plan(envelope.type)
        if type(envelope.event) is not plan.cls:
            raise CodecError(
                f"Event {envelope.event_id} is a {type(envelope.event).__qualname__}, "
                f"not the registered class {plan.cls.__qualname__} of {envelope.type}"
            )
        data = dump_event(envelope.event)
        if has_marked_values(data, plan.marked):
            key = await self.keyring.key_for_writing(envelope.tenant, str(envelope.case_id))
            data = encrypt_fields(data, plan.marked, key.encrypt)
        else:
            check_unmarked(data)
        return NewEvent(
            event_id=envelope.event_id,
            type=envelope.type,
            tenant=envelope.tenant,
            data=data,
            metadata=envelope.model_dump(mode="json", include=set(METADATA_FIELDS)),
            schema_version=envelope.schema_version,
        )

    async def decode(self, recorded: RecordedEvent) -> Envelope:
        """The envelope of a stored event: decrypted, or masked once its case is erased; upcast; valid."""
        plan = self.plan(recorded.type)
        data, erased = await self._open(recorded, plan)
        return self._envelope(recorded, plan, data, masked=erased)

    def decode_masked(self, recorded: RecordedEvent) -> Envelope:
        """The envelope of a stored event without touching a key: every personal value reads as its mask.

        For readers that show no personal value (a history whose reader sees none): nothing is
        decrypted, so no plaintext is held, and an erased case reads the same as any other.
        """
        plan = self.plan(recorded.type)
        return self._envelope(recorded, plan, plan.masked_data(recorded), masked=True)

    def _envelope(
        self, recorded: RecordedEvent, plan: EventPlan, data: Mapping[str, Any], *, masked: bool
    ) -> Envelope:
        event = parse_event(recorded.type, recorded.schema_version, data)
        if masked and recorded.schema_version != plan.cls.schema_version:
            # Upcasters may have moved masked values: give every personal field its own mask again.
            current = plan.cls.schema_version
            event = parse_event(recorded.type, current, map_marked(dump_event(event), plan.marked, plan.mask))
        fields = {key: value for key, value in recorded.metadata.items() if key in METADATA_FIELDS}
        try:
            return Envelope.model_validate(
                {
                    **fields,
                    "event_id": recorded.event_id,
                    "type": recorded.type,
                    "schema_version": event.schema_version,
                    "tenant": recorded.tenant,
                    "stream": recorded.stream,
                    "recorded_at": recorded.recorded_at,
                    "event": event,
                }
            )
        except ValidationError as error:
            raise InvalidEnvelope(recorded.event_id, recorded.stream, _problems(error)) from error

    async def _open(self, recorded: RecordedEvent, plan: EventPlan) -> tuple[dict[str, Any], bool]:
        """The stored payload with plaintexts (or masks, and True, when the case was erased)."""
        key_id = first_key_id(recorded.data)
        if key_id is None:
            return dict(recorded.data), False
        case_id = _case_id(recorded)
        key = await self.keyring.key_for_reading(recorded.tenant, case_id, key_id)
        if key is None:
            return replace_ciphertexts(recorded.data, plan.mask), True
        return replace_ciphertexts(recorded.data, key.decrypt), False


def make_envelope(
    event: AnyEvent,
    *,
    event_id: UUID,
    tenant: str,
    stream: str,
    case_id: UUID,
    actor: Actor,
    occurred_at: datetime,
    correlation_id: UUID,
    causation_id: UUID | None = None,
    traceparent: str | None = None,
) -> Envelope:
    """:meth:`Envelope.wrap` with its validation errors as :class:`InvalidEnvelope`, naming the fields."""
    try:
        return Envelope.wrap(
            event,
            event_id=event_id,
            tenant=tenant,
            stream=stream,
            case_id=case_id,
            actor=actor,
            occurred_at=occurred_at,
            correlation_id=correlation_id,
            causation_id=causation_id,
            traceparent=traceparent,
        )
    except ValidationError as error:
        raise InvalidEnvelope(event_id, stream, _problems(error)) from error


def _case_id(recorded: RecordedEvent) -> str:
    """The case the ciphertexts belong to, from the metadata, in the form keys are stored under."""
    raw = recorded.metadata.get("case_id")
    try:
        return str(UUID(str(raw)))
    except ValueError:
        raise InvalidEnvelope(
            recorded.event_id,
            recorded.stream,
            ("case_id: missing or not a UUID, but the event is encrypted",),
        ) from None


def _problems(error: ValidationError) -> tuple[str, ...]:
    return tuple(
        f"{'.'.join(str(part) for part in problem['loc']) or '(envelope)'}: {problem['msg']}"
        for problem in error.errors(include_input=False, include_url=False)
    )
