"""Evidence items, their SHA-256 and their chain of custody."""
