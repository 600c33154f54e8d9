"""Imports of breach records kept elsewhere: public registers of attorneys general, and an
organisation's own incident register through a mapping file."""
