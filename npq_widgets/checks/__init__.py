"""Checking learner artefacts: ``check(task, artefact) -> CheckResult``. Pure; never raises on learner input (except
in strict mode, which the tests turn on so that a rule that crashes fails its test)."""

from .result import ERROR, FAIL, PASS, CheckItem, CheckResult
from .rules import (EMPTY_ID, STRICT_ENV, Rule, RuleCrashed, next_hint, nothing_to_check, run_rules, strict,
                    strict_checks)

__all__ = ["CheckItem", "CheckResult", "Rule", "RuleCrashed", "run_rules", "next_hint", "nothing_to_check",
           "strict", "strict_checks", "STRICT_ENV", "EMPTY_ID", "PASS", "FAIL", "ERROR"]
