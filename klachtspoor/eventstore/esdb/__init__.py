"""EventStoreDB adapter of the event store: ``EsdbEventStore.connect("esdb://…")``."""

from klachtspoor.eventstore.esdb.store import EsdbEventStore

__all__ = ["EsdbEventStore"]
