"""Server-rendered Dutch HTML pages, shared by every service that serves people a page: reporting's
dashboard, intake's public form and escalation's dossier (docs/dashboard.md, docs/public.md).

The headers every page gets (a Content-Security-Policy that allows no script and nothing from elsewhere),
reading a urlencoded form, the same-origin check and the CSRF double submit live here once.
"""

from klachtspoor.web.pages import (
    CONTENT_SECURITY_POLICY,
    CSRF_SECONDS,
    FORM,
    HEADERS,
    FormError,
    csrf_matches,
    new_csrf,
    read_form,
    same_origin,
)

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "CSRF_SECONDS",
    "FORM",
    "HEADERS",
    "FormError",
    "csrf_matches",
    "new_csrf",
    "read_form",
    "same_origin",
]
