"""The views across incidents: the deadline board, calendar feeds and response metrics."""
