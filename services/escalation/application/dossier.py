"""Opening the complainant's dossier: the receipt code to its case, the secret against the newest hash
the case recorded (docs/public.md).

A wrong secret and an unknown code are one answer (None), reached after the same work: an unknown code,
or a case without a dossier or erased, is checked against a decoy hash, so neither the answer nor its
time tells whether a case exists. scrypt runs in a worker thread, off the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

from contracts.policy import ProcedurePolicy
from klachtspoor.cases import CaseRepository, LoadedCase
from klachtspoor.dossier.secret import decoy_hash, verify
from klachtspoor.eventstore.streams import case_stream
from services.escalation.adapters.policies import PinnedPolicies
from services.escalation.domain import CaseState, fold
from services.escalation.domain.casefile.dossier import current_secret

Lookup = Callable[[str, str], Awaitable[UUID | None]]
"""(tenant, reference) -> the case it names, or None (:meth:`DossierReferences.case_of`)."""


@dataclass(frozen=True)
class OpenedDossier:
    tenant: str
    case_id: UUID
    case: LoadedCase
    state: CaseState
    policy: ProcedurePolicy | None
    secret_version: int
    """The case version of the secret that opened it: a newer secret closes every session of an older."""


@dataclass(frozen=True)
class Attempt:
    """What an attempt found: the dossier, or None; ``case_id`` when the code named a case (for the
    access log's refused record; never told to the caller)."""

    opened: OpenedDossier | None
    case_id: UUID | None


class DossierAccess:
    def __init__(self, lookup: Lookup, repository: CaseRepository, policies: PinnedPolicies) -> None:
        self.lookup, self.repository, self.policies = lookup, repository, policies

    async def attempt(self, tenant: str, reference: str, secret: str) -> Attempt:
        case_id = await self.lookup(tenant, reference.strip().upper())
        loaded = await self.load(tenant, case_id) if case_id is not None else None
        stored = None if loaded is None else current_secret(loaded.events)
        if loaded is None or stored is None or fold(e.event for e in loaded.events).erased:
            await asyncio.to_thread(verify, secret, decoy_hash())
            return Attempt(None, case_id if loaded is not None else None)
        version, secret_hash = stored
        if not await asyncio.to_thread(verify, secret, secret_hash):
            return Attempt(None, case_id)
        assert case_id is not None
        return Attempt(self._opened(tenant, case_id, loaded, version), case_id)

    async def resume(self, tenant: str, case_id: UUID, secret_version: int) -> OpenedDossier | None:
        """A session's dossier: only while the secret that opened it is still the newest."""
        loaded = await self.load(tenant, case_id)
        if loaded is None:
            return None
        stored = current_secret(loaded.events)
        if stored is None or stored[0] != secret_version or fold(e.event for e in loaded.events).erased:
            return None
        return self._opened(tenant, case_id, loaded, secret_version)

    async def load(self, tenant: str, case_id: UUID) -> LoadedCase | None:
        loaded = await self.repository.load(case_stream(tenant, str(case_id)))
        return None if loaded.version is None else loaded

    def _opened(self, tenant: str, case_id: UUID, loaded: LoadedCase, version: int) -> OpenedDossier:
        state = fold(envelope.event for envelope in loaded.events)
        return OpenedDossier(tenant, case_id, loaded, state, self.policies.of(state, case_id), version)
