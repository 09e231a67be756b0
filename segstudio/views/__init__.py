"""Qt views of the app shell; each shows state held by a plain class and emits signals."""
