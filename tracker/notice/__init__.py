"""Notices: obligations as rows, the notice lifecycle, letters, board, calendars, metrics."""
