"""Fixtures of the reporting tests: a real event store with the codec, and a token verifier."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from reporting_helpers import CaseWriter

from klachtspoor.auth import TokenVerifier
from klachtspoor.auth.devkeys import ensure_dev_keys, mint_token, same_roles
from klachtspoor.cases import CaseRepository
from klachtspoor.codec import EventCodec
from klachtspoor.crypto import Keyring, MasterKey
from klachtspoor.crypto.postgres import PostgresKeyStore
from klachtspoor.eventstore.postgres import PostgresEventStore


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[PostgresEventStore]:
    opened = await PostgresEventStore.connect(database_url, pool_size=2)
    yield opened
    await opened.close()


@pytest.fixture
async def writer(store: PostgresEventStore, database_url: str) -> AsyncIterator[CaseWriter]:
    keys = await PostgresKeyStore.open(database_url)
    codec = EventCodec(Keyring(keys, MasterKey.from_base64(MasterKey.generate_base64())))
    yield CaseWriter(CaseRepository(store, codec))
    await keys.close()


class Tokens:
    def __init__(self, private_pem: str) -> None:
        self._private = private_pem

    def __call__(self, tenants: tuple[str, ...], roles: tuple[str, ...], subject: str = "staff-1") -> str:
        return mint_token(self._private, subject=subject, tenant_roles=same_roles(tenants, roles))

    def granted(self, tenant_roles: dict[str, list[str]], subject: str = "staff-1") -> str:
        return mint_token(self._private, subject=subject, tenant_roles=tenant_roles)


@pytest.fixture(scope="session")
def jwt_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return ensure_dev_keys(tmp_path_factory.mktemp("jwt"))


@pytest.fixture(scope="session")
def verifier(jwt_keys: tuple[Path, Path]) -> TokenVerifier:
    return TokenVerifier(public_key_pem=jwt_keys[1].read_text())


@pytest.fixture(scope="session")
def tokens(jwt_keys: tuple[Path, Path]) -> Tokens:
    return Tokens(jwt_keys[0].read_text())
