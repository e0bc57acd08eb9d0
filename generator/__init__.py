"""ketamine-journal: a private treatment journal turned into a report.

The package is an engine-agnostic core (entries, reading, validation, journal,
trends, charts, pages, export) with a thin MkDocs adapter in `plugin`.
Nothing outside `plugin` imports MkDocs.
"""

__version__ = "0.1.0"
