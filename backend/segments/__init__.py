"""Segment definitions: name, description, rules, status, and who may see or change them."""
