"""Customer data: customers, their custom values and the associated records segments look at."""
