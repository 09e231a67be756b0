"""Getting customer data in: the ingestion API and CSV import."""
