"""The Cases page and its list model."""
