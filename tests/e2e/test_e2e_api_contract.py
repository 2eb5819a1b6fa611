"""The four services' OpenAPI documents say what the services do, checked as an API consumer would check
them: ``schemathesis run --checks all`` against each service of the running stack. It sends requests made
from the document (valid ones, and invalid ones: wrong types, missing fields, undeclared methods) and
fails on any response the document does not describe: a server error, a status or content type not
documented, a body off its schema, an invalid request accepted, a valid one refused, a 405 without
``Allow``.

Requests carry a dev token of the stack with every role (given as the documents' bearer scheme, so
schemathesis also checks that a request without it is refused) and name the stack's tenant and one case
it opened, so they reach the handlers instead of stopping at 404; ``erase`` gets a case of its own, so
the shared one keeps taking the other commands after schemathesis erased one. Two allowances, each in
``schemathesis_hooks.py`` or below with its reason: a fresh ``Idempotency-Key`` per request, and a 422
for a rule between fields is not a failure. Bounded: a fixed seed and number of examples per operation,
no shrinking and no example database, a request timeout, and a deadline for each run.

Runs the command line (in the test's own Python) rather than the pytest integration: that integration
sets ``Function._nodeid``, which pytest 9.2 no longer has.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from e2e_helpers import opened, submit
from e2e_stack import TENANT, Stack

from contracts.vocabulary import Role

pytestmark = pytest.mark.slow
TRACED = False

EXAMPLES_PER_OPERATION = 6
SEED = 20261201
REQUEST_TIMEOUT_SECONDS = 10
RUN_DEADLINE_SECONDS = 240
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")
SERVICES = ("intake", "escalation", "notify", "reporting")
TOKEN_VAR = "KLACHTSPOOR_CONTRACT_TOKEN"
REJECTED = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]
"""What counts as refusing an invalid request: schemathesis' list plus 413, which a body over the size
limit gets before anything reads it (an over-long text can make one)."""
ERASE_PATH = "/v1/tenants/{tenant}/cases/{case_id}/commands/erase"
ERASE_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "410", "429", "5xx"]
"""What a valid erasure may get: schemathesis' list plus 410, the documented answer to every valid erasure
after the first one erased the case."""
STATISTICS_PATHS = (
    "/v1/tenants/{tenant}/statistics/{dimension}",
    "/v1/tenants/{tenant}/statistics/categories",
    "/v1/network/statistics/{dimension}",
    "/v1/tenants/{tenant}/reports/{report}",
)
STATISTICS_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
"""What a valid statistics or report request may get: schemathesis' list plus 422, the documented answer
to a well-formed period that has not begun yet (the schema cannot know today's date) and to a quarter for
the yearly analysis (docs/reports.md)."""


@pytest.fixture(scope="module")
async def case_id(stack: Stack) -> UUID:
    """A case of the stack's tenant, for the operations on ``{case_id}``."""
    async with httpx.AsyncClient(timeout=30) as client:
        return opened(await submit(client, stack, "api-contract")).case_id


@pytest.fixture(scope="module")
async def erased_case_id(stack: Stack) -> UUID:
    """Another case of the stack's tenant, for ``erase`` alone: the first valid erasure erases it."""
    async with httpx.AsyncClient(timeout=30) as client:
        return opened(await submit(client, stack, "api-contract-erase")).case_id


def config_file(directory: Path, stack: Stack, case_id: UUID, erased_case_id: UUID) -> Path:
    """schemathesis.toml of the run: the token for the bearer scheme, the tenant and case for every path."""
    path = directory / "schemathesis.toml"
    path.write_text(
        "\n".join(
            [
                f"seed = {SEED}",
                f"request-timeout = {REQUEST_TIMEOUT_SECONDS}",
                f'hooks = "{HOOKS}"',
                "[generation]",
                f"max-examples = {EXAMPLES_PER_OPERATION}",
                "no-shrink = true",
                'database = "none"',
                "[parameters]",
                f'tenant = "{TENANT}"',
                f'case_id = "{case_id}"',
                "[auth.openapi.HTTPBearer]",
                f'bearer = "${{{TOKEN_VAR}}}"',
                "[checks.negative_data_rejection]",
                f"expected-statuses = {REJECTED}".replace("'", '"'),
                "[[operations]]",
                f'include-path = "{ERASE_PATH}"',
                f'parameters = {{ tenant = "{TENANT}", case_id = "{erased_case_id}" }}',
                "[operations.checks.positive_data_acceptance]",
                f"expected-statuses = {ERASE_ACCEPTED}".replace("'", '"'),
                *(
                    line
                    for statistics_path in STATISTICS_PATHS
                    for line in (
                        "[[operations]]",
                        f'include-path = "{statistics_path}"',
                        "[operations.checks.positive_data_acceptance]",
                        f"expected-statuses = {STATISTICS_ACCEPTED}".replace("'", '"'),
                    )
                ),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("service", SERVICES)
def test_the_service_does_what_its_openapi_document_says(
    service: str, stack: Stack, case_id: UUID, erased_case_id: UUID, tmp_path: Path
) -> None:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config_file(tmp_path, stack, case_id, erased_case_id)),
        "--no-color",
        "run",
        "--checks",
        "all",
        f"{stack.url(service)}/openapi.json",
    ]
    env = {**os.environ, TOKEN_VAR: stack.token(tuple(role.value for role in Role))}
    run = subprocess.run(
        command,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_DEADLINE_SECONDS,
        check=False,
    )
    report = tmp_path / "schemathesis.txt"
    report.write_text(run.stdout + run.stderr, encoding="utf-8")
    stack.check_alive()
    assert run.returncode == 0, (
        f"schemathesis found failures in {service} (all of it: {report}):\n{run.stdout[-20000:]}"
    )
