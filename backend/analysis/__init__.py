"""Analysis across segments (compare, overlap) and the customers index."""
