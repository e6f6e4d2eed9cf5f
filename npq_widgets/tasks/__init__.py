"""Task definitions: each module ties a task's model, checker and exporters together for the registry."""
