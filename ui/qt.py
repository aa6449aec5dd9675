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

# --- set-up wizard, lock screen, settings, recovery sheet, screenshots ------------------------------
from PySide6.QtCore import QElapsedTimer, QMarginsF, QRectF, QSizeF  # noqa: E402
from PySide6.QtGui import (QImage, QPageLayout, QPageSize,  # noqa: E402
                           QPainter, QPdfWriter, QTextOption)
from PySide6.QtWidgets import (QAbstractButton, QButtonGroup, QCheckBox, QComboBox, QDialogButtonBox,  # noqa: E402
                               QFileDialog, QGroupBox, QPlainTextEdit, QProgressBar, QRadioButton,
                               QScrollArea, QSpinBox, QStackedLayout, QTabWidget, QTextEdit, QToolButton,
                               QWizard, QWizardPage)

__all__ += [
    "QElapsedTimer", "QMarginsF", "QRectF", "QSizeF",
    "QImage", "QPageLayout", "QPageSize", "QPainter", "QPdfWriter", "QTextOption",
    "QAbstractButton", "QButtonGroup", "QCheckBox", "QComboBox", "QDialogButtonBox", "QFileDialog", "QGroupBox",
    "QPlainTextEdit", "QProgressBar", "QRadioButton", "QScrollArea", "QSpinBox", "QStackedLayout", "QTabWidget",
    "QTextEdit", "QToolButton", "QWizard", "QWizardPage",
]

# --- case form and case list filters -----------------------------------------------------------------
from PySide6.QtCore import QRegularExpression  # noqa: E402
from PySide6.QtGui import QRegularExpressionValidator  # noqa: E402

__all__ += ["QRegularExpression", "QRegularExpressionValidator"]

# --- reports and sync pages: opening a saved file in the system's viewer --------------------------------
from PySide6.QtCore import QUrl  # noqa: E402
from PySide6.QtGui import QDesktopServices  # noqa: E402

__all__ += ["QUrl", "QDesktopServices"]

# --- activities, registries and overview pages (charts drawn with QPainter; QtCharts is not shipped) -------
from PySide6.QtCore import QPointF, QRect  # noqa: E402
from PySide6.QtGui import QPen  # noqa: E402
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QToolTip  # noqa: E402

__all__ += ["QPointF", "QRect", "QPen", "QTableWidget", "QTableWidgetItem", "QToolTip"]

# --- the user guide (Help menu): Markdown shown in a text browser --------------------------------------------
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument, QTextImageFormat  # noqa: E402
from PySide6.QtWidgets import QTextBrowser  # noqa: E402

__all__ += ["QTextCharFormat", "QTextCursor", "QTextDocument", "QTextImageFormat", "QTextBrowser"]

# --- accessibility: screen-reader events, the focus ring (ui.widgets.a11y) ------------------------------------
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent  # noqa: E402
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QFocusFrame, QGraphicsOpacityEffect  # noqa: E402

__all__ += ["QAccessible", "QAccessibleAnnouncementEvent", "QAccessibleEvent", "QAbstractScrollArea", "QAbstractSpinBox",
            "QFocusFrame", "QGraphicsOpacityEffect"]

# --- printing the recovery sheet (QtPrintSupport: the system's print dialog and printers) -------------------
from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # noqa: E402

__all__ += ["QPrintDialog", "QPrinter"]

# --- a machine without a display: Qt's fatal message caught and said in one line (ui.app) --------------------
from PySide6.QtCore import QtMsgType, qInstallMessageHandler  # noqa: E402

__all__ += ["QtMsgType", "qInstallMessageHandler"]

# --- the activity form's kind picker: its group headings are items of the combo's standard model ----------------
from PySide6.QtGui import QStandardItemModel  # noqa: E402

__all__ += ["QStandardItemModel"]
