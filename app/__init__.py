"""Bình An core: storage, domain, validation, accounts, audit. Never imports Qt."""

NAME = "Bình An"
APP_ID = "binhan"
__version__ = "0.1.0"
