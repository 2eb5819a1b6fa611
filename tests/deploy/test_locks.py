"""The runtime and dev locks, and what the image installs from them, checked on the real files (no
problems) and on broken copies (the problem named), as test_compose does for the rest of deploy/."""

from __future__ import annotations

import pytest

from tests.deploy import lock_checks as checks
from tests.deploy.broken_copies import Check, Mutation, text
from tests.deploy.deploy_files import Deploy

RUNTIME_PIN = "uvicorn==0.54.0\n"
BROKEN: list[tuple[str, Check, Mutation, str]] = [
    *(
        (
            f"{pinned} in the runtime lock",
            checks.runtime_lock_problems,
            text("runtime_lock", RUNTIME_PIN, f"{RUNTIME_PIN}{pinned}==1.0\n"),
            f"pins {named}, a dev or test tool",
        )
        for pinned, named in (
            *((tool, tool) for tool in checks.DEV_TOOLS),
            ("types-PyYAML", "types-pyyaml"),
            ("asyncpg-stubs", "asyncpg-stubs"),
            ("Pytest_Asyncio", "pytest-asyncio"),
        )
    ),
    (
        "runtime lock emptied",
        checks.runtime_lock_problems,
        lambda deploy: text("runtime_lock", deploy.runtime_lock, "")(deploy),
        "pins nothing",
    ),
    (
        "dev lock pins another version",
        checks.dev_lock_problems,
        text("dev_lock", RUNTIME_PIN, "uvicorn==0.53.0\n"),
        "uvicorn==0.53.0, the runtime lock pins 0.54.0",
    ),
    (
        "dev lock misses a runtime package",
        checks.dev_lock_problems,
        text("dev_lock", RUNTIME_PIN, ""),
        "uvicorn==None",
    ),
    (
        "dev lock misses pytest",
        checks.dev_lock_problems,
        text("dev_lock", "\npytest==", "\nnot-pytest=="),
        "misses pytest",
    ),
    (
        "image installs the dev lock",
        checks.image_install_problems,
        text("dockerfile", "-r requirements.lock", "-r requirements.lock -r requirements-dev.lock"),
        "uses requirements-dev.lock",
    ),
    (
        "image copies the dev tools",
        checks.image_install_problems,
        text("dockerfile", "COPY services ./services", "COPY services ./services\nCOPY devtools ./devtools"),
        "uses devtools",
    ),
    (
        "build context holds the tests",
        checks.image_install_problems,
        text("dockerignore", "!services/\n", "!services/\n!tests/\n"),
        "lets tests in",
    ),
    (
        "lock installed before the settings that leave grpcio-tools out",
        checks.image_install_problems,
        text("dockerfile", "COPY pyproject.toml requirements.lock ./", "COPY requirements.lock ./"),
        "pyproject.toml is not copied before",
    ),
]


@pytest.fixture(scope="module")
def deploy() -> Deploy:
    return Deploy.load()


@pytest.mark.parametrize("check", checks.CHECKS, ids=lambda check: check.__name__)
def test_the_locks_and_the_image_pass(deploy: Deploy, check: Check) -> None:
    assert check(deploy) == []


@pytest.mark.parametrize(("check", "mutate", "expected"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_each_check_names_what_is_broken(
    deploy: Deploy, check: Check, mutate: Mutation, expected: str
) -> None:
    problems = check(mutate(deploy))
    assert any(expected in problem for problem in problems), problems
