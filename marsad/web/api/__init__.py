"""The JSON API at /api/ (django-ninja): public statistics, and staff endpoints behind tokens."""
