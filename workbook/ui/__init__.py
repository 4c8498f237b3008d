"""ipywidgets builders: they wire widgets to the session and hold no clinical logic."""
