"""The form engine: forms described in data/forms, drawn with the form widgets."""
