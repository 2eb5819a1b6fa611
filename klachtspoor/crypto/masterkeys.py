"""The configured master keys: the current one and the previous ones a rotation is moving away from.

During a master key rotation every process holds both: a tenant key row names the master key that wrapped
it (``master_key_id``, a fingerprint), so a row wrapped under a previous key still opens, while every new
tenant key is wrapped under the current one. ``klachtspoor keys rotate master`` re-wraps the rest; after
that the previous key is taken out of the settings. See ``docs/privacy.md`` ("Rotating keys").
"""

from __future__ import annotations

from collections.abc import Iterable

from klachtspoor.crypto.aead import MasterKey
from klachtspoor.crypto.errors import InvalidMasterKey


class MasterKeys:
    """The current master key, which wraps, and previous ones, which only unwrap."""

    def __init__(self, current: MasterKey, previous: Iterable[MasterKey] = ()) -> None:
        self.current = current
        self.previous = tuple(key for key in previous if key.key_id != current.key_id)
        self._by_id = {key.key_id: key for key in (current, *self.previous)}

    @classmethod
    def from_base64(cls, current: str, previous: Iterable[str] = ()) -> MasterKeys:
        """Keys as the settings hold them; a previous key that is not valid is named by its position."""
        older = []
        for position, text in enumerate(previous, start=1):
            try:
                older.append(MasterKey.from_base64(text))
            except InvalidMasterKey as error:
                raise InvalidMasterKey(f"Previous master key {position}: {error}") from None
        return cls(MasterKey.from_base64(current), older)

    @property
    def ids(self) -> tuple[str, ...]:
        """The key ids, the current one first: what error messages and ``keys status`` show."""
        return tuple(self._by_id)

    def by_id(self, key_id: str) -> MasterKey | None:
        return self._by_id.get(key_id)
