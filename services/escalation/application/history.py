"""Replaying a case as of a moment: read its stream as stored, check its hash chain, decode, fold.

The one use case behind ``GET …/cases/{case_id}/history`` and ``klachtspoor replay``, so both answer the
same :class:`~services.escalation.domain.history.CaseHistory`. It reads the event store only (never a
read model) and the version of the procedure policy the case pinned by the moment; it writes nothing.

Personal values are decrypted only when the reveal rule shows the reader some (it shows none today):
otherwise the events are decoded with every personal value masked, without a key.

The chain is checked over the stream's events as stored (ciphertexts, so an erased case still checks) by
the :data:`ChainVerifier` it is given; :data:`chain_of`, the one every replay uses, is
:func:`chain_verified` (``klachtspoor.integrity``, docs/integrity.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contracts.envelope import Envelope
from contracts.events import ProcedurePolicyPinned
from contracts.vocabulary import Role
from klachtspoor.codec import EventCodec
from klachtspoor.eventstore.port import EventStore, RecordedEvent
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.integrity.chain import link_of
from klachtspoor.integrity.verify import verify_stream
from services.escalation.adapters.policies import PinnedPolicies
from services.escalation.application.staff import CaseNotFound
from services.escalation.domain import fold
from services.escalation.domain.history import (
    AsOfNotAware,
    CaseHistory,
    ChainBreakView,
    ChainCheck,
    ChainStatus,
    HistoryError,
    Reveal,
    history,
    recorded_by,
    reveals,
    reveals_any,
)

ChainVerifier = Callable[[Sequence[RecordedEvent]], ChainCheck]
"""Checks one stream's stored events (all of them, in version order)."""

_PAGE = 500


def chain_verified(events: Sequence[RecordedEvent]) -> ChainCheck:
    """The stream's hash chain checked by :func:`klachtspoor.integrity.verify.verify_stream`.

    Events from before the chain existed carry no link; a stream that starts with them is intact when
    its first linked event pins the last of them. A stream with no link at all cannot be checked, and
    says so (``not_checked``) rather than claiming to be intact.
    """
    broken = verify_stream(events)
    if broken is not None:
        return ChainCheck(
            status=ChainStatus.BROKEN,
            checked=len(events),
            first_break=ChainBreakView(
                stream=broken.stream,
                version=broken.version,
                event_id=broken.event_id,
                problem=broken.problem.value,
                expected=broken.expected,
                found=broken.found,
            ),
            detail=broken.describe(),
        )
    # Intact, so once one event carries a link every later one does: the unchained ones are those before
    # the first link (none, for a stream written since the chain), found without reading every link again.
    unchained = next((index for index, event in enumerate(events) if link_of(event) is not None), len(events))
    if unchained == len(events):
        detail = "no event of the stream carries a chain link: it was written before the hash chain"
        return ChainCheck(status=ChainStatus.NOT_CHECKED, checked=len(events), detail=detail)
    before = f"{unchained} events from before the hash chain, pinned by the first linked one"
    return ChainCheck(status=ChainStatus.INTACT, checked=len(events), detail=before if unchained else None)


chain_of: ChainVerifier = chain_verified
"""The verification every replay uses."""


class AsOfInFuture(HistoryError):
    rule = "as_of_in_future"

    def __init__(self, as_of: datetime, now: datetime) -> None:
        super().__init__(f"as_of {as_of.isoformat()} is in the future (now: {now.isoformat()})")


@dataclass(frozen=True)
class CaseReplay:
    store: EventStore
    codec: EventCodec
    policies: PinnedPolicies
    verify: ChainVerifier = chain_of

    async def replay(
        self,
        tenant: str,
        case_id: UUID,
        as_of: datetime,
        *,
        now: datetime,
        role: Role,
        reveal: Reveal = reveals,
    ) -> CaseHistory:
        """The case as recorded by ``as_of``, read in ``role``.

        Raises :class:`CaseNotFound` (no stream in this tenant), :class:`AsOfNotAware`,
        :class:`AsOfInFuture` (after ``now``), :class:`~services.escalation.domain.history.AsOfBeforeCase`,
        and :class:`~services.escalation.adapters.policies.PinnedPolicyMissing` (a deployment error).
        """
        if as_of.tzinfo is None:
            raise AsOfNotAware()
        if as_of > now:
            raise AsOfInFuture(as_of, now)
        stream = case_stream(tenant, str(case_id))
        stored = await read_stream(self.store, stream)
        if not stored:
            raise CaseNotFound(tenant, case_id)
        chain = self.verify(stored)
        envelopes = await self.decode(stored, role, reveal)
        # Only the pins decide which policy: folding them alone is the full fold's answer, at a fraction.
        pins = fold(
            e.event for e in recorded_by(envelopes, as_of) if isinstance(e.event, ProcedurePolicyPinned)
        )
        policy = self.policies.of(pins, case_id)
        return history(envelopes, policy, as_of, role=role, reveal=reveal, chain=chain)

    async def decode(self, stored: Sequence[RecordedEvent], role: Role, reveal: Reveal) -> list[Envelope]:
        """The envelopes of the stored events, decrypted only when ``reveal`` shows ``role`` some value."""
        if reveals_any(reveal, role):
            return [await self.codec.decode(event) for event in stored]
        return [self.codec.decode_masked(event) for event in stored]  # no key used, nothing decrypted


async def read_stream(store: EventStore, stream: str) -> list[RecordedEvent]:
    """Every stored event of ``stream`` in version order (empty: no such stream)."""
    events: list[RecordedEvent] = []
    while page := await store.read_stream(stream, from_version=len(events), limit=_PAGE):
        events.extend(page)
        if len(page) < _PAGE:
            break
    return events
