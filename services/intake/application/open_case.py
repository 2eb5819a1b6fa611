"""Opening a case: allocate its reference, decide, append the case's first events in one append.

The order makes retries safe. A keyed submission first claims its Idempotency-Key (per tenant and
submitter, for :data:`IDEMPOTENCY_TTL`): the claim names the case id (new for the first claim), the
reference is allocated by case id (a retry gets the same one), the event ids derive from the case id, and
the append expects no stream: a retry that finds the case open decides nothing, one that races the first
append is an idempotent retry in the store. A crash at any point leaves either nothing, a claim, a claim
and a reference without a case (a retry with the key completes it), or the whole case.

The claim keeps no hash of the request, which holds personal data: only HMACs under a key derived from
the master key (:class:`RequestMacs`), of the submitter's subject with the key and of the request. They
identify nothing and confirm no guess without the master key, and go when the claim expires or its case
is erased (:meth:`IntakeService.purge_claims`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from contracts.base import Actor
from contracts.envelope import Envelope
from contracts.events.intake import SignalReceived
from contracts.policy import ProcedurePolicy
from klachtspoor.cases import CaseRepository, LoadedCase, decide_and_append
from klachtspoor.codec import make_envelope
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.telemetry import current_traceparent
from klachtspoor.tenants import Tenant
from services.intake.adapters.references import Claim, ReferenceAllocator
from services.intake.domain.commands import OpenCase
from services.intake.domain.decider import decide, fold
from services.intake.domain.rules import check_signal, derived_id, format_reference, registration_year

IDEMPOTENCY_TTL = timedelta(hours=24)
"""How long a key's claim lives: a client's retries come within it; after it the key opens a new case."""
MAC_PURPOSE = "intake/idempotency"
"""The purpose the MAC key is derived for from the master key (``MasterKey.derive``)."""

ErasureCheck = Callable[[str, str], Awaitable[bool]]
"""Whether (tenant, case id) was erased: the key store's ``is_erased``."""
PolicyLookup = Callable[[Tenant], ProcedurePolicy | None]
"""The current version of the tenant's procedure policy, pinned on every new case (None: no policy)."""


def no_policies(tenant: Tenant) -> ProcedurePolicy | None:
    """No policies loaded (the bootstrap wires `latest_policy_pins`): a tenant naming one cannot be served."""
    if tenant.policy is not None:
        raise LookupError(f"Tenant {tenant.slug} names policy {tenant.policy!r} but no policies are loaded")
    return None


@dataclass(frozen=True, slots=True)
class Submission:
    """A validated signal, as the HTTP entrypoint turned it into intake's terms."""

    tenant: Tenant
    subject: str
    """The token's ``sub``: keys are scoped to it (the actor of an anonymous submission has no id)."""
    actor: Actor
    signal: SignalReceived
    request: bytes
    """The canonical request (tenant, subject, body as validated): only ever MAC'ed, never stored."""
    idempotency_key: str | None
    now: datetime
    dossier_secret_hash: str | None = None
    """Filed through the public way in: the slow hash of the dossier's secret, recorded with the case."""


@dataclass(frozen=True, slots=True)
class RequestMacs:
    """HMAC-SHA256 under a secret derived from the master key: not reproducible from anything stored.

    ``previous``: the secrets derived from the previous master keys while a master key rotation is under
    way (docs/privacy.md, "Rotating keys"). A claim made before the current key was swapped in is found
    by its digest under the key it was made with, so a retry across the swap opens no second case.
    """

    secret: bytes
    previous: tuple[bytes, ...] = ()

    def earlier(self) -> tuple[RequestMacs, ...]:
        """The MACs under each previous secret."""
        return tuple(RequestMacs(secret) for secret in self.previous)

    def key_digest(self, tenant: str, subject: str, key: str) -> str:
        return self._mac(json.dumps(["key", tenant, subject, key], ensure_ascii=False).encode())

    def request_mac(self, request: bytes) -> str:
        return self._mac(b"request\x00" + request)

    def _mac(self, message: bytes) -> str:
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class OpenedCase:
    case_id: UUID
    reference: str
    replayed: bool
    """True when an earlier submission with the same Idempotency-Key already opened this case."""


class IdempotencyConflict(Exception):
    """The submitter used the Idempotency-Key before, within its lifetime, for another request."""

    def __init__(self, tenant: str, case_id: UUID) -> None:
        self.tenant, self.case_id = tenant, case_id
        super().__init__(f"An Idempotency-Key of tenant {tenant} was first used for another request")


class IntakeService:
    def __init__(
        self,
        repository: CaseRepository,
        references: ReferenceAllocator,
        *,
        macs: RequestMacs,
        policies: PolicyLookup = no_policies,
        new_case_id: Callable[[], UUID] = uuid4,
    ) -> None:
        self.repository, self.references, self.macs = repository, references, macs
        self.policies, self.new_case_id = policies, new_case_id

    async def _case_for(self, submission: Submission) -> UUID:
        """A new case id, or the one the submitter's live claim of the key names (conflict: other request)."""
        key = submission.idempotency_key
        if key is None:
            return self.new_case_id()
        tenant = submission.tenant.slug
        wanted = Claim(self.new_case_id(), self.macs.request_mac(submission.request), created=True)
        earlier = await self._earlier_claim(submission, key)
        if earlier is not None:  # claimed again under the current key, for the retries after the rotation
            wanted = Claim(earlier, wanted.request_mac, created=False)
        claim = await self.references.claim_key(
            tenant,
            self.macs.key_digest(tenant, submission.subject, key),
            wanted,
            now=submission.now,
            expires_at=submission.now + IDEMPOTENCY_TTL,
        )
        if not hmac.compare_digest(claim.request_mac, wanted.request_mac):
            raise IdempotencyConflict(tenant, claim.case_id)
        return claim.case_id

    async def _earlier_claim(self, submission: Submission, key: str) -> UUID | None:
        """The case of a live claim of ``key`` made under a previous master key (conflict: other request)."""
        tenant = submission.tenant.slug
        for macs in self.macs.earlier():
            digest = macs.key_digest(tenant, submission.subject, key)
            found = await self.references.live_claim(tenant, digest, now=submission.now)
            if found is not None:
                if not hmac.compare_digest(found.request_mac, macs.request_mac(submission.request)):
                    raise IdempotencyConflict(tenant, found.case_id)
                return found.case_id
        return None

    async def purge_claims(self, now: datetime, is_erased: ErasureCheck) -> int:
        """Delete the claims expired at ``now`` and those of erased cases; return how many.

        An erased case's claim goes too: its MACs are of personal data that was erased, and the master
        key would confirm a guess of it. (A retry with its key then opens a new case.)"""
        purged = await self.references.purge_expired_keys(now)
        for tenant, case_id in await self.references.claimed_cases():
            if await is_erased(tenant, str(case_id)):
                purged += await self.references.forget_case(tenant, case_id)
        return purged

    async def open_case(self, submission: Submission) -> OpenedCase:
        tenant = submission.tenant.slug
        policy = self.policies(submission.tenant)
        check_signal(submission.signal, policy)  # before a key is claimed or a reference allocated
        case_id = await self._case_for(submission)
        allocation = await self.references.allocate(tenant, case_id, registration_year(submission.now))
        command = OpenCase(
            command_id=derived_id(case_id, "open-case"),
            tenant=tenant,
            case_id=case_id,
            actor=submission.actor,
            now=submission.now,
            signal=submission.signal,
            reference=format_reference(allocation.year, allocation.number),
            policy=policy,
            dossier_secret_hash=submission.dossier_secret_hash,
        )
        stream = case_stream(tenant, str(case_id))
        traceparent = current_traceparent()

        def decision(case: LoadedCase) -> Sequence[Envelope]:
            state = fold(tuple(envelope.event for envelope in case.events))
            return [
                make_envelope(
                    event,
                    event_id=derived_id(case_id, f"open-case/{event.event_type}"),
                    tenant=tenant,
                    stream=stream,
                    case_id=case_id,
                    actor=command.actor,
                    occurred_at=command.now,
                    correlation_id=command.command_id,
                    causation_id=command.command_id,
                    traceparent=traceparent,
                )
                for event in decide(command, state)
            ]

        await decide_and_append(self.repository, stream, decision)
        return OpenedCase(case_id, command.reference, replayed=not allocation.created)
