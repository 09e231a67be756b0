"""Why a customer is in a segment or not, and the customer profile: read-only views over one customer."""
