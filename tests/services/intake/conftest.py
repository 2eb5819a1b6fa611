"""An intake app in-process against a fresh PostgreSQL database per test, with its own store handle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from intake_helpers import TENANTS_FILE, Clock, Intake

from klachtspoor.auth.devkeys import ensure_dev_keys
from klachtspoor.bootstrap import open_infrastructure
from klachtspoor.crypto import MasterKey
from services.intake.bootstrap import bootstrap
from services.intake.settings import IntakeSettings


@pytest.fixture(scope="session")
def jwt_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    private_path, public_path = ensure_dev_keys(tmp_path_factory.mktemp("intake-jwt"))
    return private_path.read_text(encoding="ascii"), public_path


@pytest.fixture
def intake_settings(database_url: str, jwt_keys: tuple[str, Path]) -> IntakeSettings:
    return IntakeSettings(
        database_url=database_url,
        master_key=MasterKey.generate_base64(),
        jwt_public_key_file=jwt_keys[1],
        tenants_file=TENANTS_FILE,
        notify_on_append=False,
    )


@pytest.fixture
async def intake(intake_settings: IntakeSettings, jwt_keys: tuple[str, Path]) -> AsyncIterator[Intake]:
    infra = await open_infrastructure(intake_settings, pool_size=4)
    clock = Clock()
    app = bootstrap(intake_settings, infrastructure=infra, clock=clock).app
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://intake.test") as client:
                yield Intake(app, client, infra, intake_settings, jwt_keys[0], clock)
    finally:
        await infra.close()
