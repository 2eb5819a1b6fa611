"""Fixtures of the timer tests: the policy registry and the due-date index projection, running."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from timer_given import Index, policies, running_index

from klachtspoor.bootstrap import Infrastructure
from klachtspoor.policies import PolicyRegistry
from klachtspoor.settings import Settings


@pytest.fixture(scope="session")
def registry() -> PolicyRegistry:
    return policies()


@pytest.fixture
async def index(
    infrastructure: Infrastructure, settings: Settings, registry: PolicyRegistry
) -> AsyncIterator[Index]:
    async with running_index(infrastructure.store, settings.database_url, registry) as running:
        yield running
