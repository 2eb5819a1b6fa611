"""Every component's SQL files are listed in its migration set, in name order, and none is missing."""

from importlib import resources

import pytest

from klachtspoor.accesslog.postgres import ACCESSLOG_SCHEMA
from klachtspoor.crypto.postgres import KEYSTORE_SCHEMA
from klachtspoor.eventstore.postgres.schema import SCHEMA as EVENTSTORE
from klachtspoor.integrity.anchorstore import INTEGRITY_SCHEMA
from klachtspoor.migrations import MigrationSet
from klachtspoor.subscriptions.schema import SCHEMA as SUBSCRIPTIONS
from services.escalation.adapters.schema import SCHEMA as ESCALATION
from services.intake.adapters.schema import SCHEMA as INTAKE
from services.reporting.adapters.schema import SCHEMA as REPORTING

EVERY_SET = [
    EVENTSTORE,
    KEYSTORE_SCHEMA,
    SUBSCRIPTIONS,
    INTAKE,
    REPORTING,
    ESCALATION,
    ACCESSLOG_SCHEMA,
    INTEGRITY_SCHEMA,
]


@pytest.mark.parametrize("migrations", EVERY_SET, ids=lambda m: m.package)
def test_files_on_disk_are_exactly_the_listed_ones_in_order(migrations: MigrationSet) -> None:
    on_disk = sorted(
        f.name
        for f in resources.files(migrations.package).joinpath("sql").iterdir()
        if f.name.endswith(".sql")
    )
    assert list(migrations.files) == on_disk
    schema = migrations.record_table.split(".")[0]
    assert any(f"{schema}." in migrations.read(name) for name in migrations.files)


@pytest.mark.parametrize("migrations", EVERY_SET, ids=lambda m: m.package)
def test_each_function_file_is_listed_and_defines_its_function(migrations: MigrationSet) -> None:
    folder = resources.files(migrations.package).joinpath("sql", "functions")
    on_disk = sorted(f.name for f in folder.iterdir()) if folder.is_dir() else []
    assert sorted(f"{name}.sql" for name in migrations.functions) == on_disk
    for name, file in zip(migrations.functions, migrations.function_files, strict=True):
        sql = migrations.read(file)
        assert sql.count("CREATE OR REPLACE FUNCTION ") == 1, file
        assert f"CREATE OR REPLACE FUNCTION {migrations.schema}.{name}(" in sql, file


def test_every_component_records_its_migrations_under_one_name() -> None:
    assert {m.record_table.split(".")[1] for m in EVERY_SET} == {"applied_migrations"}
    assert len({m.schema for m in EVERY_SET}) == len(EVERY_SET)
