"""Every component's SQL files are listed in its migration set, in name order, and none is missing."""

from importlib import resources

import pytest

from klachtspoor.crypto.postgres import KEYSTORE_SCHEMA
from klachtspoor.migrations import MigrationSet
from klachtspoor.subscriptions.schema import SCHEMA as SUBSCRIPTIONS
from services.escalation.adapters.timer_schema import SCHEMA as ESCALATION
from services.intake.adapters.migrations import SCHEMA as INTAKE
from services.reporting.adapters.schema import SCHEMA as REPORTING


@pytest.mark.parametrize(
    "migrations", [KEYSTORE_SCHEMA, SUBSCRIPTIONS, INTAKE, REPORTING, ESCALATION], ids=lambda m: m.package
)
def test_files_on_disk_are_exactly_the_listed_ones_in_order(migrations: MigrationSet) -> None:
    on_disk = sorted(
        f.name
        for f in resources.files(migrations.package).joinpath("sql").iterdir()
        if f.name.endswith(".sql")
    )
    assert list(migrations.files) == on_disk
    schema = migrations.record_table.split(".")[0]
    assert any(f"{schema}." in migrations.read(name) for name in migrations.files)
