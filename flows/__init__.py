"""Everything that touches the outside world: readers, the Parquet sink, the Prefect flow
and the CLI. The cleaning itself lives in ``cleaners``."""
