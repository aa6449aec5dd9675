"""The one door to Qt: every ui module takes its Qt names from here, never from PySide6.

A PySide6 upgrade, a renamed enum or a compatibility shim is then handled in
this file alone. Only what the window uses is re-exported; add names as pages
need them.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QLibraryInfo,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QCloseEvent,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid as qt_object_alive

__all__ = [
    "QtCore", "QtGui", "QtWidgets",
    # QtCore
    "QAbstractTableModel", "QCoreApplication", "QEvent", "QItemSelectionModel", "QLibraryInfo", "QLocale",
    "QModelIndex", "QObject", "QPersistentModelIndex", "QPoint", "QRunnable", "QSize", "Qt", "QThreadPool", "QTimer",
    "QTranslator", "Signal", "Slot",
    # QtGui
    "QAction", "QBrush", "QCloseEvent", "QColor", "QFont", "QFontDatabase", "QFontMetrics", "QGuiApplication",
    "QIcon", "QKeyEvent", "QKeySequence", "QPalette", "QPixmap",
    # QtWidgets
    "QAbstractItemView", "QApplication", "QDialog", "QFormLayout", "QFrame", "QGridLayout", "QHBoxLayout",
    "QHeaderView", "QLabel", "QLineEdit", "QListWidget", "QListWidgetItem", "QMainWindow", "QMenu", "QMenuBar",
    "QMessageBox", "QPushButton", "QSizePolicy", "QSplitter", "QStackedWidget", "QStatusBar", "QTableView",
    "QVBoxLayout", "QWidget",
    # shiboken
    "qt_object_alive",
]
