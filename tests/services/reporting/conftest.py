"""Fixtures of the reporting tests: a real event store with the codec, and a token verifier."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from reporting_helpers import CaseWriter, Tokens

from klachtspoor.auth import TokenVerifier
from klachtspoor.auth.devkeys import ensure_dev_keys
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


@pytest.fixture(scope="session")
def jwt_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return ensure_dev_keys(tmp_path_factory.mktemp("jwt"))


@pytest.fixture(scope="session")
def verifier(jwt_keys: tuple[Path, Path]) -> TokenVerifier:
    return TokenVerifier(public_key_pem=jwt_keys[1].read_text())


@pytest.fixture(scope="session")
def tokens(jwt_keys: tuple[Path, Path]) -> Tokens:
    return Tokens(jwt_keys[0].read_text())
