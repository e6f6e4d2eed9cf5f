"""Applies to every test, notebooks (nbval) included: saved work goes to a temporary folder, never the real home,
and plots render off-screen."""

import os
import tempfile

_HOME = tempfile.mkdtemp(prefix="npq-test-home-")
os.environ["NPQ_WORKBOOK_HOME"] = _HOME
os.environ.setdefault("MPLBACKEND", "Agg")
