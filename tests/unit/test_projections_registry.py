"""The projections the services register for `klachtspoor projections`, and the shadow tables' names."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from klachtspoor.cli.main import app
from klachtspoor.projections import UnknownProjection, load_projection, registered
from klachtspoor.projections.shadow import shadow_of, temporary
from klachtspoor.settings import Settings
from services.reporting.domain.figures import Dimension
from services.reporting.domain.tables import PublishedDimension

SETTINGS = Settings(database_url="postgresql://nobody@127.0.0.1:1/none")


def test_every_projection_of_the_services_is_registered_under_its_subscriber_name() -> None:
    services = {"reporting", "statistics", "contacts", "escalation-timer-index", "escalation-dossier-index"}
    assert services <= set(registered())
    for name in registered():
        projection = load_projection(name, SETTINGS)
        assert projection.name == name
        assert all("." in table for table in projection.tables)


def test_an_unknown_projection_names_the_known_ones() -> None:
    with pytest.raises(UnknownProjection, match="statistics"):
        load_projection("nothing-like-it", SETTINGS)


def test_the_command_refuses_an_unknown_projection_with_a_usage_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KLACHTSPOOR_DATABASE_URL", SETTINGS.database_url or "")
    result = CliRunner().invoke(app, ["projections", "rebuild", "nothing-like-it"])
    assert result.exit_code == 2
    assert "No projection 'nothing-like-it'" in result.output


def test_shadow_names_stay_within_postgresql_limits() -> None:
    assert shadow_of("reporting.case_facts") == "reporting.case_facts__rebuild"
    assert len(temporary("x" * 63)) == 63 and temporary("x" * 63).endswith("__rebuild")


def test_published_dimensions_are_the_projections_but_its_base() -> None:
    assert [d.value for d in PublishedDimension] == [d.value for d in Dimension if d is not Dimension.CASES]
    assert PublishedDimension.__name__ == "PublishedDimension"  # the OpenAPI enum keeps its name
