"""The case file: what a reader's role may see of a case, from its events and pinned policy (pure).

:mod:`.table` is the one role table (docs/casefile.md); one module per part of the file builds it:
:mod:`.complainant`, :mod:`.steps`, :mod:`.terms`, :mod:`.letters`, :mod:`.support`; :mod:`.view`
puts them together.
"""

from services.escalation.domain.casefile.reader import Reader
from services.escalation.domain.casefile.table import CASE_FILE_TABLE, READERS, READING_ORDER, reading_role
from services.escalation.domain.casefile.view import CaseFile, case_file

__all__ = ["CASE_FILE_TABLE", "READERS", "READING_ORDER", "CaseFile", "Reader", "case_file", "reading_role"]
