"""Broken copies of the runtime and dev locks and of what the image installs from them, each with the
problem its check must name (run by test_compose beside the rest of deploy/)."""

from __future__ import annotations

from tests.deploy import lock_checks as checks
from tests.deploy.broken_copies import Check, Mutation, text

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
