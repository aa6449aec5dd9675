"""Small widgets shared by several pages: a progress dialog with Cancel, file choosers, a message line."""
