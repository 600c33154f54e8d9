"""The pages listing every regime the deadline engine knows, with its sources and versions."""
