"""``klachtspoor eventstore copy`` refuses, before opening anything, to copy a store into itself or into
anything but EventStoreDB; another namespace on the same server is another store. ``switch`` does
nothing without ``--yes``."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from klachtspoor.cli.main import app
from klachtspoor.moving.stores import StoreAddress, UnsuitableStores, check_addresses

POSTGRES = "postgresql://klachtspoor:geheim@db.example:5432/klachtspoor"


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (StoreAddress("esdb://Node1.example:2113?Tls=false"), StoreAddress("esdb://node1.example?Tls=false")),
        (
            StoreAddress("esdb://a.example:2113,b.example:2113", "prod"),
            StoreAddress("esdb+discover://b.example,a.example", "prod"),
        ),
    ],
)
def test_the_same_store_as_source_and_target_is_refused(source: StoreAddress, target: StoreAddress) -> None:
    with pytest.raises(UnsuitableStores, match="the same store"):
        check_addresses(source, target)


def test_another_namespace_or_server_is_another_store() -> None:
    check_addresses(
        StoreAddress("esdb://node1:2113", "acceptatie"), StoreAddress("esdb://node1:2113", "prod")
    )
    check_addresses(StoreAddress(POSTGRES), StoreAddress("esdb://node1:2113"))
    check_addresses(StoreAddress("esdb://node1:2113"), StoreAddress("esdb://node2:2113"))


def test_only_eventstoredb_is_a_target_and_messages_show_no_password() -> None:
    with pytest.raises(UnsuitableStores, match="is not EventStoreDB") as refused:
        check_addresses(StoreAddress("esdb://node1:2113"), StoreAddress(POSTGRES))
    assert "geheim" not in str(refused.value)
    assert "db.example:5432/klachtspoor" in str(refused.value)


def test_the_command_exits_2_naming_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLACHTSPOOR_EVENTSTORE_URL", "esdb://node1.example:2113?Tls=false")
    monkeypatch.setenv("KLACHTSPOOR_EVENTSTORE_NAMESPACE", "prod")
    from klachtspoor.settings import get_settings

    get_settings.cache_clear()
    try:
        # The configured store is the default source: it is already the target.
        result = CliRunner().invoke(
            app, ["eventstore", "copy", "--to", "esdb://node1.example?Tls=false", "--namespace", "prod"]
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "the same store: esdb://node1.example (namespace prod)" in result.output


def test_the_switch_does_nothing_without_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLACHTSPOOR_DATABASE_URL", POSTGRES)
    monkeypatch.setenv("KLACHTSPOOR_EVENTSTORE_URL", "")
    from klachtspoor.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["eventstore", "switch", "--to", "esdb://node1.example:2113"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "then run this again with --yes" in result.output
