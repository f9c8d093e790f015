"""Exporters: pure functions from plain models to files other tools can open.

Nothing here touches the database, Textual or Rich; ``claimmap.services.exporting``
loads the data and calls these.
"""
