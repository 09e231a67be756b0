"""Campaign hand-off: templates, audience estimates and recipient-list snapshots of a segment."""
