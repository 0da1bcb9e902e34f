"""The posts warehouse: Parquet files queried with DuckDB."""
