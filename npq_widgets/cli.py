"""``npq-workbook``: the command-line front door.

    npq-workbook run        start the Voila app gallery on 127.0.0.1 and print its URL
    npq-workbook lab        open JupyterLab on the notebooks
    npq-workbook catalogue [CODE] [--json]
    npq-workbook tasks [--json]
    npq-workbook check TASK FILE [--json] [--attempt N]        exit 0 pass, 1 not yet, 2 error
    npq-workbook export TASK [FILE | --model-answer [--scenario ID]] --format xlsx|json -o OUT

Errors are one plain line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .paths import notebooks_dir, voila_config, workbook_home


class CliError(Exception):
    pass


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise CliError("No free port on 127.0.0.1.")


def voila_command(port: int, *, show_tracebacks: bool = False, open_browser: bool = False) -> list[str]:
    """The Voila command line that serves the app gallery (shared by `run`, the tests and bench/)."""
    return [
        sys.executable, "-m", "voila", str(notebooks_dir()),
        f"--port={port}", "--Voila.ip=127.0.0.1",
        "--no-browser" if not open_browser else "--Voila.open_browser=True",
        f"--show_tracebacks={show_tracebacks}",
    ]


def _serve(cmd: list[str], url: str, cwd: Path) -> int:
    print(f"NPQ Workbook is starting at {url}", flush=True)
    print("Work is saved in", workbook_home(), "- press Ctrl+C to stop.", flush=True)
    try:
        return subprocess.call(cmd, cwd=cwd)
    except KeyboardInterrupt:
        return 0


def cmd_run(args: argparse.Namespace) -> int:
    port = _free_port(args.port)
    url = f"http://127.0.0.1:{port}/"
    return _serve(voila_command(port, open_browser=args.open), url, voila_config().parent)


def cmd_lab(args: argparse.Namespace) -> int:
    port = _free_port(args.port)
    cmd = [sys.executable, "-m", "jupyterlab", f"--port={port}", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.root_dir={notebooks_dir()}"]
    if not args.open:
        cmd.append("--no-browser")
    return _serve(cmd, f"http://127.0.0.1:{port}/lab (the address with its token is printed below)",
                  voila_config().parent)


def cmd_catalogue(args: argparse.Namespace) -> int:
    from .catalogue import format_qualification, load_catalogue

    cat = load_catalogue()
    if args.code is None:
        if args.json:
            _print_json(cat.to_dict())
        else:
            for q in cat.qualifications:
                print(f"{q.id:<16} {q.route:<9} {q.name}")
        return 0
    found = cat.by_code(args.code)
    if not found:
        try:
            found = [cat.get(args.code)]
        except KeyError:
            codes = ", ".join(sorted({q.code for q in cat.qualifications}))
            raise CliError(f"No qualification '{args.code}'. Codes: {codes}.") from None
    if args.json:
        _print_json([q.to_dict() for q in found])
    else:
        print("\n\n".join(format_qualification(q) for q in found))
    return 0


def cmd_tasks(args: argparse.Namespace) -> int:
    from .registry import all_tasks

    tasks = all_tasks()
    if args.json:
        _print_json([{"id": t.id, "title": t.title, "criteria": list(t.criteria),
                      "scenarios": [{"id": s.id, "title": s.title} for s in t.scenarios],
                      "formats": sorted(t.exporters)} for t in tasks])
        return 0
    if not tasks:
        print("No tasks are registered yet.")
    for t in tasks:
        print(f"{t.id} — {t.title}")
        print(f"  criteria: {', '.join(t.criteria) or '-'}")
        print(f"  export formats: {', '.join(sorted(t.exporters))}")
        for s in t.scenarios:
            print(f"  scenario {s.id}: {s.title}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .registry import get_task, read_artefact

    task = get_task(args.task)
    result = task.check(read_artefact(args.file), attempt=args.attempt)
    if args.json:
        print(result.to_json())
    else:
        print(repr(result))
    return {"pass": 0, "fail": 1}.get(result.status, 2)


def cmd_export(args: argparse.Namespace) -> int:
    from .registry import get_task, read_artefact

    task = get_task(args.task)
    if args.model_answer == (args.file is not None):
        raise CliError("Give either a saved work FILE or --model-answer.")
    if args.model_answer:
        scenario = task.scenario(args.scenario)
        if not scenario.model_answer:
            raise CliError(f"Scenario '{scenario.id}' has no model answer.")
        artefact = dict(scenario.model_answer)
        artefact.setdefault("task", task.id)
        artefact.setdefault("scenario", scenario.id)
    else:
        artefact = read_artefact(args.file)
        result = task.check(artefact)
        if result.status == "error":
            raise CliError(result.items[0].message)
    out = Path(args.output)
    if out.parent and not out.parent.exists():
        raise CliError(f"The folder '{out.parent}' does not exist.")
    task.export(artefact, args.format, out)
    print(f"Wrote {out}")
    return 0


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="npq-workbook", description="NPQ Workbook: apps, catalogue and task checking.")
    p.add_argument("--version", action="version", version=f"npq-workbook {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser("run", help="start the Voila app gallery on 127.0.0.1")
    r.add_argument("--port", type=int, default=8866)
    r.add_argument("--open", action="store_true", help="open a browser tab")
    r.set_defaults(func=cmd_run)

    lab = sub.add_parser("lab", help="open JupyterLab on the notebooks")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--open", action="store_true", help="open a browser tab")
    lab.set_defaults(func=cmd_lab)

    c = sub.add_parser("catalogue", help="show the qualification catalogue")
    c.add_argument("code", nargs="?", help="a code (NPQSL) or id (NPQSL-reformed)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_catalogue)

    t = sub.add_parser("tasks", help="list the registered tasks, scenarios and criteria")
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=cmd_tasks)

    ch = sub.add_parser("check", help="check saved work (JSON); exit 0 pass, 1 not yet, 2 error")
    ch.add_argument("task")
    ch.add_argument("file")
    ch.add_argument("--json", action="store_true")
    ch.add_argument("--attempt", type=int, default=1, help="attempt number, for graduated hints")
    ch.set_defaults(func=cmd_check)

    e = sub.add_parser("export", help="export saved work or a model answer")
    e.add_argument("task")
    e.add_argument("file", nargs="?")
    e.add_argument("--model-answer", action="store_true")
    e.add_argument("--scenario")
    e.add_argument("--format", required=True, choices=["xlsx", "json"])
    e.add_argument("-o", "--output", required=True)
    e.set_defaults(func=cmd_export)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from .registry import TaskError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (CliError, TaskError, FileNotFoundError) as exc:
        print(f"npq-workbook: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `npq-workbook catalogue --json | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - never a traceback at the front door
        print(f"npq-workbook: unexpected error ({type(exc).__name__}: {exc}). "
              "Please report it with the command you ran.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
