"""Signed PDF reports: rendering with WeasyPrint, PAdES signatures with pyHanko, verification."""
