"""deploy/ parsed and checked: the compose stack, the collector config, the Dockerfile, the env file, and
the runtime and dev locks the image and ``make`` install.

Every check runs on the real files (no problems) and on broken copies (the problem named), so none of
them can pass by finding nothing to look at.
"""

from __future__ import annotations

import pytest

from tests.deploy import broken_copies, broken_locks, compose_checks, lock_checks
from tests.deploy.broken_copies import Check, Mutation
from tests.deploy.deploy_files import Deploy

CHECKS = (*compose_checks.CHECKS, *lock_checks.CHECKS)
BROKEN = [*broken_copies.BROKEN, *broken_locks.BROKEN]


@pytest.fixture(scope="module")
def deploy() -> Deploy:
    return Deploy.load()


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_the_deploy_files_pass(deploy: Deploy, check: Check) -> None:
    assert check(deploy) == []


@pytest.mark.parametrize(("check", "mutate", "expected"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_each_check_names_what_is_broken(
    deploy: Deploy, check: Check, mutate: Mutation, expected: str
) -> None:
    problems = check(mutate(deploy))
    assert any(expected in problem for problem in problems), problems
