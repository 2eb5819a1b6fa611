"""Fixtures for the crypto unit tests: an in-memory key store and a keyring with a fresh master key."""

from __future__ import annotations

import pytest

from klachtspoor.crypto import Keyring, MasterKey
from klachtspoor.crypto.memory import InMemoryKeyStore


@pytest.fixture
def master() -> MasterKey:
    return MasterKey.from_base64(MasterKey.generate_base64())


@pytest.fixture
def store() -> InMemoryKeyStore:
    return InMemoryKeyStore()


@pytest.fixture
def keyring(store: InMemoryKeyStore, master: MasterKey) -> Keyring:
    return Keyring(store, master)
