"""The simulator (SPEC 5): scenario files drive the real engine; results go to Parquet."""
