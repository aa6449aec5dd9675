"""The window: PySide6 widgets over the core (app/). Nothing imports ui/; Qt names come from ui.qt."""
