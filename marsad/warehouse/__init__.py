"""The posts warehouse: Parquet files queried with DuckDB."""

from marsad.warehouse.errors import WarehouseError
from marsad.warehouse.merge import MergeResult, MergeSettings
from marsad.warehouse.snapshot import Snapshot
from marsad.warehouse.stats import WarehouseStats
from marsad.warehouse.store import ImportTransaction, Warehouse
from marsad.warehouse.vacuum import VacuumResult

__all__ = [
    "ImportTransaction",
    "MergeResult",
    "MergeSettings",
    "Snapshot",
    "VacuumResult",
    "Warehouse",
    "WarehouseError",
    "WarehouseStats",
]
