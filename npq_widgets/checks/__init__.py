"""Checking learner artefacts: ``check(task, artefact) -> CheckResult``. Pure; never raises on learner input."""

from .result import ERROR, FAIL, PASS, CheckItem, CheckResult
from .rules import Rule, next_hint, run_rules

__all__ = ["CheckItem", "CheckResult", "Rule", "run_rules", "next_hint", "PASS", "FAIL", "ERROR"]
