-- Reading one stream by version; unique as a last guard against two events at one version.
CREATE UNIQUE INDEX events_stream_version_key ON eventstore.events (stream_name, version);
