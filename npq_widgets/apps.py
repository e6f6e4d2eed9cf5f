"""One call per app: what the notebooks import. Each returns a ready widget (the notebook's last expression)."""

from __future__ import annotations


def which_npq():
    """"Which NPQ is for me?" — role or responsibility → recommended qualification(s), hours and assessment."""
    from .views.which_npq import WhichNPQ

    return WhichNPQ()


def smart_objectives(scenario: str | None = None, *, free_build: bool = False):
    """SMART objectives for a team member (6.1.1). ``free_build=True`` is for the candidate's own team."""
    from .registry import get_task
    from .views.smart_objectives import SmartObjectivesBuilder

    task = get_task("smart-objectives")
    return SmartObjectivesBuilder(task, None if free_build else task.scenario(scenario))
