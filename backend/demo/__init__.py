"""The deterministic demo organisation: realistic Indonesian customer data for trying Segment Studio."""
