"""The network's tenants (organisations), read from one YAML file and validated once at start.

Every service that needs to know a tenant (intake refuses signals for unknown ones, notify names the
organisation in its mails) reads the same file through :class:`TenantRegistry`. Only organisation-level
facts belong here: a tenant's public contact is the organisation's own published address or number,
never a person's. The file is ``settings.tenants_file`` (default ``config/tenants.yaml``)::

    tenants:
      - slug: demo
        display_name: Demo Jeugdhulp
        kind: provider
        mail_sender_name: Klachtenregeling Demo Jeugdhulp
        contact: {email: klachten@demo-jeugdhulp.example, website: https://demo-jeugdhulp.example}
        policy: null
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from contracts.policy import STAFF_ROLES
from contracts.vocabulary import Recipient, TenantKind
from klachtspoor.settings import Settings

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
POLICY_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"

_MAILBOX = re.compile(r"^[^@\s,<>]+@[^@\s,<>]+\.[a-z]{2,}$")
DutchText = Annotated[str, Field(min_length=1, max_length=200)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PublicContact(_Frozen):
    """How the public reaches the organisation: its general mailbox, number or website, never a person's."""

    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", max_length=254)
    phone: str | None = Field(default=None, pattern=r"^[0-9][0-9 -]{5,20}$")
    website: str | None = Field(default=None, pattern=r"^https://[^\s]+$", max_length=200)
    address: tuple[DutchText, ...] = Field(
        default=(),
        max_length=4,
        description="The organisation's postal address as the letterhead shows it, one line each",
    )

    @model_validator(mode="after")
    def _reachable(self) -> Self:
        if self.email is None and self.phone is None and self.website is None:
            raise ValueError("give at least one of email, phone or website")
        return self


MAILBOX_KEYS = frozenset(
    {
        *(role.value for role in STAFF_ROLES),
        Recipient.PROVIDER.value,
    }
)
"""Whom a tenant's ``mailboxes`` may name: a staff role (the handler of a step, the confidant, the
complaints committee) or the provider (the organisation's management, which a judgement is sent to)."""


class Tenant(_Frozen):
    slug: str = Field(pattern=SLUG_PATTERN)
    display_name: DutchText
    kind: TenantKind
    mail_sender_name: DutchText = Field(description="Shown as the sender's name of mails for this tenant")
    contact: PublicContact
    policy: str | None = Field(
        default=None, pattern=POLICY_ID_PATTERN, description="Id of the procedure policy new cases follow"
    )
    mailboxes: dict[str, str] = Field(
        default_factory=dict,
        description="The organisation's own mailbox per role (a function mailbox, never a person's): where "
        "letters to the provider or the committee and the handlers' deadline mails go",
    )

    @model_validator(mode="after")
    def _mailboxes(self) -> Self:
        unknown = sorted(set(self.mailboxes) - MAILBOX_KEYS)
        if unknown:
            raise ValueError(
                f"mailboxes: {', '.join(unknown)} is not a staff role or 'provider' "
                f"(one of {', '.join(sorted(MAILBOX_KEYS))})"
            )
        bad = sorted(key for key, value in self.mailboxes.items() if not _MAILBOX.fullmatch(value))
        if bad:
            raise ValueError(f"mailboxes: the address of {', '.join(bad)} is not one e-mail address")
        return self

    def mailbox(self, key: str) -> str | None:
        """The mailbox for a staff role or ``provider``; None when the tenants file names none."""
        return self.mailboxes.get(key)


class TenantFile(_Frozen):
    tenants: tuple[Tenant, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_slugs(self) -> Self:
        slugs = [t.slug for t in self.tenants]
        repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if repeated:
            raise ValueError(f"tenant slugs must be unique, repeated: {', '.join(repeated)}")
        return self


class UnknownTenant(LookupError):
    """No tenant with this slug in the registry (HTTP services answer 404)."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(f"Unknown tenant {slug!r}")


class TenantFileError(ValueError):
    """The tenants file is missing, is not YAML, or does not validate; names the file and the fields."""

    def __init__(self, path: Path | str, problems: Iterable[str]) -> None:
        self.path, self.problems = str(path), tuple(problems)
        super().__init__(f"Invalid tenants file {self.path}: {'; '.join(self.problems)}")


class TenantRegistry:
    """The tenants by slug. Immutable once built; build it in a bootstrap, not at import time."""

    def __init__(self, tenants: Iterable[Tenant]) -> None:
        validated = TenantFile(tenants=tuple(tenants))
        self._tenants: Mapping[str, Tenant] = {t.slug: t for t in validated.tenants}

    @classmethod
    def from_file(cls, path: Path | str) -> TenantRegistry:
        try:
            raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise TenantFileError(path, [f"cannot read: {error.strerror or error}"]) from error
        except yaml.YAMLError as error:
            raise TenantFileError(path, [f"not YAML: {error}"]) from error
        try:
            parsed = TenantFile.model_validate(raw)
        except ValidationError as error:
            raise TenantFileError(path, _problems(error)) from error
        return cls(parsed.tenants)

    @classmethod
    def from_settings(cls, settings: Settings) -> TenantRegistry:
        return cls.from_file(settings.tenants_file)

    def get(self, slug: str) -> Tenant:
        tenant = self._tenants.get(slug)
        if tenant is None:
            raise UnknownTenant(slug)
        return tenant

    def __contains__(self, slug: object) -> bool:
        return slug in self._tenants

    def __iter__(self) -> Iterator[Tenant]:
        return iter(self._tenants.values())

    def __len__(self) -> int:
        return len(self._tenants)

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(self._tenants)


def _problems(error: ValidationError) -> list[str]:
    return [
        f"{'.'.join(str(part) for part in item['loc']) or '(file)'}: {item['msg']}"
        for item in error.errors(include_input=False, include_url=False)
    ]
