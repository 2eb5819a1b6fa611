import pytest

from klachtspoor.pgtools import with_database


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@127.0.0.1:5432/postgres", "postgresql://u@127.0.0.1:5432/other"),
        ("postgresql://u@127.0.0.1:5432", "postgresql://u@127.0.0.1:5432/other"),
        ("postgresql://u:p@h:1/db?sslmode=disable", "postgresql://u:p@h:1/other?sslmode=disable"),
    ],
)
def test_with_database_replaces_only_the_database(url: str, expected: str) -> None:
    assert with_database(url, "other") == expected
