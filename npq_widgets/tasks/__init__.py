"""One folder per task. Each folder's ``__init__.py`` declares the task (``TASK = TaskDeclaration(...)``, see
:mod:`npq_widgets.contract`); the registry finds the folders, so nothing lists the tasks by hand."""
