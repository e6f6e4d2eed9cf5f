"""``npq-workbook``: the command-line front door.

    npq-workbook run [--room] [--facilitator] [--max-kernels N]   start the Voila app gallery on 127.0.0.1 and print its URL
    npq-workbook lab        open JupyterLab on the notebooks
    npq-workbook catalogue [CODE] [--json]
    npq-workbook tasks [--json]
    npq-workbook check TASK FILE [--json] [--attempt N]        exit 0 pass, 1 not yet, 2 error
    npq-workbook export TASK [FILE | --model-answer [--scenario ID]] --format xlsx|json|html -o OUT
    npq-workbook export-work -o FILE        all saved work in one file
    npq-workbook import-work FILE [--on-conflict keep-both|keep-local|replace]

Errors are one plain line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

from . import __version__
from .paths import notebooks_dir, voila_config, workbook_home
from .server import DEFAULT_MAX_KERNELS, IDLE_CULL_SECONDS, ipc_transport_works


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


def voila_command(port: int, *, show_tracebacks: bool = False, open_browser: bool = False,
                  max_kernels: int = DEFAULT_MAX_KERNELS, notebooks: Path | None = None,
                  room: bool = False, facilitator: bool = False) -> list[str]:
    """The Voila command line that serves the app gallery (shared by `run`, the tests and bench/).

    Run it in the folder of voila.json (``voila_config().parent``): Voila reads its settings from there (the kernel
    manager with the cap, idle culling, the quieter log). ``max_kernels`` caps the kernels (open app pages) running
    at once; ``notebooks`` serves another folder than the shipped notebooks (tests, bench). Pages use the workbook's
    own template (``npq``: landmarks, no CDN fonts, the accessibility shim), found by ``npq_widgets.voila_page``."""
    cmd = [
        sys.executable, "-m", "npq_widgets.voila_page", str(notebooks or notebooks_dir()), "--template=npq",
        f"--port={port}", "--Voila.ip=127.0.0.1",
        "--no-browser" if not open_browser else "--Voila.open_browser=True",
        f"--show_tracebacks={show_tracebacks}",
        f"--RoomKernelManager.max_kernels={max_kernels}",
    ]
    if room or facilitator:  # facilitator mode runs as a room: each browser its own workbook
        cmd.append("--RoomKernelManager.workbook_mode=room")
    if facilitator:
        cmd.append("--RoomKernelManager.facilitator=True")
    if ipc_transport_works():  # no "Kernel is running over TCP without encryption" warning for every page
        cmd.append("--KernelManager.transport=ipc")
    return cmd


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.2)
    return False


def _serve(cmd: list[str], port: int, url: str, cwd: Path, env: dict[str, str] | None = None) -> int:
    """Run a server, say where it is once it answers, and stop it gently on Ctrl+C."""
    print(f"NPQ Workbook is starting (saved work: {workbook_home()}) …", flush=True)
    proc = subprocess.Popen(cmd, cwd=cwd, env=env)
    try:
        if _wait_for_port(port, proc):
            print(f"\nNPQ Workbook is running at {url}\nPress Ctrl+C to stop.\n", flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        try:  # Jupyter servers ask "shut down?" on the first Ctrl+C; a second one confirms
            return proc.wait(5)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            proc.send_signal(signal.SIGINT)
            try:
                return proc.wait(10)
            except (subprocess.TimeoutExpired, KeyboardInterrupt):
                proc.terminate()
                return proc.wait()


def cmd_run(args: argparse.Namespace) -> int:
    port = _free_port(args.port)
    # the gallery (notebooks/gallery.ipynb); Voila's plain file list stays at the server's root
    url = f"http://127.0.0.1:{port}/voila/render/gallery.ipynb (all files: http://127.0.0.1:{port}/)"
    print(f"At most {args.max_kernels} app pages can be open at once (--max-kernels); the kernel of a page that was "
          f"left without closing it is stopped after {IDLE_CULL_SECONDS // 60} idle minutes.", flush=True)
    if args.facilitator:
        print("Facilitator mode: every task shows the facilitator bar (scenarios, model answers, hints, reset, present "
              "on a projector, releasing a case study to the room). Candidates should use a server started without "
              "--facilitator (for example: npq-workbook run --room --port 8867), which never shows model answers.",
              flush=True)
    print("Room mode: each browser has its own workbook; visitors should download their work (My work) before they "
          "leave." if args.room or args.facilitator else "Your own workbook: the apps and JupyterLab on this computer share the same saved "
          "work (for a laptop many people use at once, start it with --room).", flush=True)
    return _serve(voila_command(port, open_browser=args.open, max_kernels=args.max_kernels, room=args.room,
                                 facilitator=args.facilitator), port,
                  url, voila_config().parent)


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return value


def cmd_lab(args: argparse.Namespace) -> int:
    port = _free_port(args.port)
    cmd = [sys.executable, "-m", "jupyterlab", f"--port={port}", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.root_dir={notebooks_dir()}"]
    if not args.open:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI machines often run as root
        cmd.append("--allow-root")
    return _serve(cmd, port, f"http://127.0.0.1:{port}/lab — open the address with its token printed above",
                  voila_config().parent, lab_environment())


def lab_environment() -> dict[str, str]:
    """JupyterLab gets the workbook's server settings (``npq_widgets.server.lab.server_config``: the pre-save hook
    that keeps the notebooks as shipped, and the websocket message limit Voila has in voila.json) through a config
    folder of its own."""
    import tempfile

    from .server.lab import server_config

    folder = Path(tempfile.mkdtemp(prefix="npq-lab-config-"))
    (folder / "jupyter_server_config.json").write_text(json.dumps(server_config()))
    env = dict(os.environ)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (str(folder), os.environ.get("JUPYTER_CONFIG_PATH")) if p)
    return env


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
                      "reformed_content_areas": list(t.reformed.content_areas),
                      "specialist_npqs": list(t.reformed.specialist_npqs),
                      "scenarios": [{"id": s.id, "title": s.title} for s in t.scenarios],
                      "formats": sorted(t.exporters)} for t in tasks])
        return 0
    if not tasks:
        print("No tasks are registered yet.")
    for t in tasks:
        print(f"{t.id} — {t.title}")
        print(f"  criteria: {', '.join(t.criteria) or '-'}")
        print(f"  reformed content areas (editorial): {'; '.join(t.reformed.content_areas)}"
              + (f" (also for {', '.join(t.reformed.specialist_npqs)})" if t.reformed.specialist_npqs else ""))
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


def cmd_export_work(args: argparse.Namespace) -> int:
    from .store.bundle import export_bundle
    from .store.files import atomic_write_bytes
    from .store.workbook import Workbook

    wb = Workbook.for_key(args.key)
    out = Path(args.output)
    if not out.parent.exists():
        raise CliError(f"The folder '{out.parent}' does not exist.")
    atomic_write_bytes(out, export_bundle(wb))
    print(f"Wrote {len(wb.ids())} saved document(s) from {wb.root} to {out}")
    return 0


def cmd_portfolio(args: argparse.Namespace) -> int:
    from .pages.portfolio import build
    from .store.workbook import Workbook

    wb = Workbook.for_key(args.key)
    paths = build(wb, Path(args.output), recalculate=not args.no_recalculate)
    for p in paths.values():
        print(f"Wrote {p}")
    return 0


def cmd_import_work(args: argparse.Namespace) -> int:
    from .store.bundle import MAX_BUNDLE_BYTES, apply_import, plan_import, read_bundle
    from .store.workbook import Workbook

    try:
        if Path(args.file).stat().st_size > MAX_BUNDLE_BYTES:  # refused before it is read into memory
            raise CliError(f"'{args.file}' is too large for a workbook file (the limit is "
                           f"{MAX_BUNDLE_BYTES // (1024 * 1024)} MB). Nothing was changed.")
        raw = Path(args.file).read_bytes()
    except FileNotFoundError:
        raise CliError(f"There is no file '{args.file}'.") from None
    except OSError as exc:
        raise CliError(f"'{args.file}' could not be read: {exc.strerror or exc}.") from None
    wb = Workbook.for_key(args.key)
    plan = plan_import(wb, read_bundle(raw))
    for line in apply_import(wb, plan, default=args.on_conflict):
        print(line)
    return 0


def cmd_analyse(args: argparse.Namespace) -> int:
    """Pupil data analysis of a CSV/XLSX: the same validation, pseudonymisation and statistics as the app."""
    from .domain.pupil_analysis import plain_report
    from .domain.pupil_data import SIZE_LIMIT_BYTES, DataProblem, load_pupil_table

    path = Path(args.file)
    try:
        size = path.stat().st_size
        if size > SIZE_LIMIT_BYTES:
            raise CliError(f"'{path}' is {size / 1024 / 1024:.1f} MB; files up to "
                           f"{SIZE_LIMIT_BYTES / 1024 / 1024:.0f} MB can be analysed.")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"There is no file '{path}'.") from None
    except IsADirectoryError:
        raise CliError(f"'{path}' is a folder, not a data file.") from None
    except OSError as exc:
        raise CliError(f"'{path}' could not be read: {exc.strerror or exc}.") from None
    try:
        report = plain_report(load_pupil_table(raw, path.name), args.measure, args.by, args.drop,
                              threshold=args.threshold, national_sd_year=args.national_sd_year)
    except DataProblem as exc:
        raise CliError(" ".join(exc.problems)) from None
    except Exception as exc:  # noqa: BLE001 - a plain line, and never a cell value from the file
        raise CliError(f"'{path.name}' could not be analysed ({type(exc).__name__}). Save it again as CSV or "
                       ".xlsx and try again.") from None
    if args.json:
        _print_json(report)
        return 0
    f2 = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
    print(f"{report['measure']} by {report['by']} — {report['pupils']} pupils, {report['rows']} rows "
          f"(pseudonymised; groups under {report['threshold']} pupils not shown)")
    if report["national_sd"]:
        sd = report["national_sd"]
        print(f"Progress 8 intervals: mean ± 1.96 × national SD {sd['sd']} ({sd['year']}) / √n")
    for note in report["notes"]:
        print(f"note: {note}")
    print(f"{'group':<24} {'drop':<14} {'n':>6} {'mean':>8} {'sd':>7} {'95% interval':>18}")
    for g in report["groups"]:
        n = f"<{report['threshold']}" if g["suppressed"] else str(g["n"])
        ci = "" if g["suppressed"] else f"{f2(g['ci_low'])} to {f2(g['ci_high'])}"
        print(f"{str(g['group'])[:24]:<24} {str(g['drop'] or '')[:14]:<14} {n:>6} {f2(g['mean']):>8} "
              f"{f2(g['sd']):>7} {ci:>18}")
    print(f"\nGaps to everyone else{' in ' + report['latest_drop'] if report['latest_drop'] else ''} "
          "(Welch's interval and test, Cohen's d):")
    for g in report["gaps"]:
        sig = "significant" if g["significant"] else "not significant"
        print(f"  {str(g['group'])[:24]:<24} gap {f2(g['gap']):>6} (95% {f2(g['ci_low'])} to {f2(g['ci_high'])}), "
              f"p = {g['p']:.3g}, d = {f2(g['cohens_d'])} — {sig}")
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
    r.add_argument("--room", action="store_true",
                   help="many people share this server (an event laptop): each browser gets a workbook of its own. "
                        "Without it, the apps and JupyterLab show the same workbook, yours")
    r.add_argument("--facilitator", action="store_true",
                   help="for the facilitator's own browser at an event: every task shows the facilitator bar "
                        "(choose scenario, model answer, hints, reset, present on a projector, release a case study "
                        "to the room). Never on by default; implies --room")
    r.add_argument("--max-kernels", type=_at_least_one, default=DEFAULT_MAX_KERNELS, metavar="N",
                   help=f"how many app pages may be open at once; the next visitor is asked to try again in a "
                        f"minute (default {DEFAULT_MAX_KERNELS}, for a 2-core laptop with 24 GB)")
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
    e.add_argument("--format", required=True, help="one of the task's formats (npq-workbook tasks lists them)")
    e.add_argument("-o", "--output", required=True)
    e.set_defaults(func=cmd_export)

    ew = sub.add_parser("export-work", help="write all saved work to one file (to keep, or to move)")
    ew.add_argument("-o", "--output", required=True)
    ew.add_argument("--key", default="local", help="whose workbook: 'local' (default) or a Voila visitor's key")
    ew.set_defaults(func=cmd_export_work)

    pf = sub.add_parser("portfolio", help="write portfolio.xlsx, .docx and .html: the account and supporting documents")
    pf.add_argument("-o", "--output", required=True, help="the folder to write them in (made if missing)")
    pf.add_argument("--key", default="local", help="whose workbook: 'local' (default) or a Voila visitor's key")
    pf.add_argument("--no-recalculate", action="store_true",
                    help="do not ask LibreOffice for the formulas' values shown in the .docx tables")
    pf.set_defaults(func=cmd_portfolio)

    iw = sub.add_parser("import-work", help="load a file written by export-work or 'Download all my work'")
    iw.add_argument("file")
    iw.add_argument("--key", default="local")
    iw.add_argument("--on-conflict", choices=["keep-both", "keep-local", "replace"], default="keep-both",
                    help="when this workbook has newer work than the file (default: keep both)")
    iw.set_defaults(func=cmd_import_work)

    an = sub.add_parser("analyse", help="analyse pupil data (CSV/XLSX): groups, intervals, gaps")
    an.add_argument("file")
    an.add_argument("--measure", required=True, help="the column of scores")
    an.add_argument("--by", required=True, help="the column of groups")
    an.add_argument("--drop", help="the column naming the data drop (default: a column called drop or term)")
    an.add_argument("--threshold", type=int, default=6, help="hide groups smaller than this (default 6)")
    an.add_argument("--national-sd-year", type=int, default=None, metavar="YEAR",
                    help="the year of the national Progress 8 SD for intervals (default: the latest; "
                         "see npq_widgets/catalogue/data/progress8.yaml)")
    an.add_argument("--json", action="store_true")
    an.set_defaults(func=cmd_analyse)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from .registry import TaskError
    from .store.workbook import StoreError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (CliError, TaskError, StoreError, FileNotFoundError) as exc:
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
