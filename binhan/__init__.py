"""The composition root: the `binhan` command line over every room (see `binhan.cli`)."""
