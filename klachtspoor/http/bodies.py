"""Field types for request bodies that accept what their JSON Schema says and nothing more.

FastAPI validates a decoded body in pydantic's lax Python mode, which takes the JSON number ``0`` for a
date (1 January 1970) or for ``false``, and the text ``"5"`` for an integer: a request the document calls
invalid would be accepted. (Strict mode is no way out: in Python mode it refuses the text of a date, a
UUID or an enum value too.) So a request body's booleans are strict, its integers numbers, a date is
``YYYY-MM-DD`` text and a moment ISO 8601 text with an offset, as ``format: date`` and
``format: date-time`` say; pydantic parses and checks the text.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, StrictBool


def _date_text(value: Any) -> Any:
    if isinstance(value, str | date):
        return value
    raise ValueError("a date is text in the form YYYY-MM-DD")


def _moment_text(value: Any) -> Any:
    if isinstance(value, str | datetime):
        return value
    raise ValueError("a moment is ISO 8601 text with an offset, such as 2026-03-02T10:30:00+01:00")


def _number(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise ValueError("an integer is a JSON number without a fraction")


JsonDate = Annotated[date, BeforeValidator(_date_text)]
JsonMoment = Annotated[AwareDatetime, BeforeValidator(_moment_text)]
JsonBool = StrictBool
"""``true`` or ``false``, not ``0``, ``1`` or ``"yes"``."""
JsonInt = Annotated[int, BeforeValidator(_number)]
"""A JSON integer (``5``, and ``5.0``, which JSON Schema calls an integer too), not ``"5"`` or ``true``."""
