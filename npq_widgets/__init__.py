"""NPQ Workbook: course notebooks and widget-driven formative tasks for National Professional Qualifications.

Importing the package is deliberately cheap: the heavy layers (views, apps) are imported where they are used.
Layers, each importing only from those before it:
``paths`` → ``catalogue`` → ``domain`` → ``checks`` → ``store`` → ``registry`` → ``views`` → ``apps`` → ``cli``.
"""

__version__ = "0.1.0"
