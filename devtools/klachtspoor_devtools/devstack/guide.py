"""What ``dev up`` prints once the stack is ready: where each service runs, its docs, where mails land,
a dev token and a curl command that files a demo signal."""

from __future__ import annotations

import json
import shlex
import threading
import time
import urllib.error
import urllib.request

from rich.console import Group
from rich.table import Table
from rich.text import Text

from klachtspoor.auth.devkeys import mint_token
from klachtspoor_devtools.devstack.errors import DevStackError
from klachtspoor_devtools.devstack.stack import SERVICES, Endpoints
from klachtspoor_devtools.devstack.supervisor import ChildExit, Supervisor

DEMO_TENANT = "demo"
DEMO_ROLES = ("care_worker", "complaints_officer")
READY_TIMEOUT_SECONDS = 90.0
DEMO_SIGNAL = {
    "channel": "web_form",
    "complainant": {
        "capacity": "legal_representative",
        "name": "Demo Ouder",
        "email": "ouder@example.org",
        "preferred_channel": "email",
    },
    "categories": ["treatment"],
    "description": "Mijn dochter voelt zich niet gehoord door haar begeleider.",
}


def service_url(endpoints: Endpoints, name: str) -> str:
    return f"http://127.0.0.1:{endpoints.ports[f'KLACHTSPOOR_{name.upper()}_PORT']}"


def wait_until_ready(endpoints: Endpoints, stop: threading.Event, supervisor: Supervisor) -> ChildExit | None:
    """Poll every service's /readyz until all answer 200; a child that dies meanwhile ends the wait."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    waiting = set(SERVICES)
    while waiting:
        ended = supervisor.exited()
        if ended is not None or stop.is_set():
            return ended
        waiting = {name for name in waiting if not _ready(service_url(endpoints, name))}
        if waiting and time.monotonic() > deadline:
            raise DevStackError(
                f"Not ready after {READY_TIMEOUT_SECONDS:.0f} s: {', '.join(sorted(waiting))}"
            )
        if waiting:
            stop.wait(0.3)
    return None


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def guide(endpoints: Endpoints) -> Group:
    table = Table(title="services", show_lines=False)
    table.add_column("service")
    table.add_column("URL")
    table.add_column("docs", overflow="fold")
    for name in SERVICES:
        url = service_url(endpoints, name)
        docs = f"{url}/docs"
        if name == "escalation":
            docs += f"  (event feed, AsyncAPI: {url}/asyncapi.json)"
        table.add_row(name, url, docs)
    private_key = (endpoints.jwt_public_key.parent / "private.pem").read_text()
    token = mint_token(private_key, subject="dev-user", tenant_roles={DEMO_TENANT: DEMO_ROLES})
    intake, reporting = service_url(endpoints, "intake"), service_url(endpoints, "reporting")
    escalation = service_url(endpoints, "escalation")
    curl = " ".join(
        [
            "curl -sS -X POST",
            f"{intake}/v1/tenants/{DEMO_TENANT}/signals",
            '-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json"',
            '-H "Idempotency-Key: demo-$(date +%s)"',
            "-d " + shlex.quote(json.dumps(DEMO_SIGNAL, ensure_ascii=False)),
        ]
    )
    mails = (
        "configured SMTP server " + endpoints.smtp_host if endpoints.smtp_host else str(endpoints.mail_dir)
    )
    lines = Text.assemble(
        ("public complaint form (no account; a parent, a child from 12, anonymous): ", "bold"),
        f"{intake}/klacht/{DEMO_TENANT}\n",
        ("the complainant's dossier (receipt code and secret from the form): ", "bold"),
        f"{escalation}/dossier/{DEMO_TENANT}\n",
        ("mails: ", "bold"),
        f"{mails} (each with its letter as PDF)\n",
        ("letters on paper: ", "bold"),
        f"{endpoints.letters_dir} (klachtspoor letters list)\n",
        ("token ", "bold"),
        f"(tenant {DEMO_TENANT}, roles {', '.join(DEMO_ROLES)}; `klachtspoor dev token` makes others):\n",
        f"export TOKEN={token}\n",
        ("file a demo signal:\n", "bold"),
        f"{curl}\n",
        ("see the case:\n", "bold"),
        f'curl -sS -H "Authorization: Bearer $TOKEN" {reporting}/v1/tenants/{DEMO_TENANT}/cases\n',
        ("dashboard: ", "bold"),
        f"{reporting}/dashboard/\n",
        ("sign in (complaints officer of demo; the link fills in the token, press Aanmelden):\n", "bold"),
        f"{reporting}/dashboard/aanmelden?token={token}\n",
        ("as a manager (figures, no cases): ", "bold"),
        f"klachtspoor dev token --grant {DEMO_TENANT}=manager",
    )
    return Group(table, lines)
