"""What the complainant's dossier shares between the service that files (intake) and the one that serves
the dossier (escalation): the secret that opens it and its slow hash (docs/public.md)."""
