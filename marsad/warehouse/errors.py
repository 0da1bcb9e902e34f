"""The one exception the warehouse raises for problems a user can act on."""


class WarehouseError(Exception):
    """The warehouse is missing, damaged, or was given data it cannot store; the message says
    which path or column and why."""
