"""Data contracts: the record types that move through the pipeline and the Parquet schemas.

No I/O and no Prefect here: these modules are imported by the pure cleaners and by the
flows alike.
"""
