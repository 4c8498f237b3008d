"""What a patient or a clinic sees, captured, and two captures compared pixel by pixel:
proof that a change of the code changed nothing on screen or on paper.

    python -m benchmarks.screens capture OUT_DIR
    python -m benchmarks.screens compare BEFORE_DIR AFTER_DIR

`capture` serves the workbook of the tree this file is in, or of `--tree DIR`, as `workbook
serve` does (one server), and in headless Chromium opens a page at 768 x 1024 (a tablet) and
walks steps 1 to 10 with Next, nothing answered, taking a full-page picture of each step
(`768-step-01.png` ...); then the same at 1366 x 768 (`1366-...`). It also writes every demo
scenario's printable summary, dated 2026-12-06 (`summary-<scenario>.html`), with
`python -m workbook summary`. One capture takes about a minute.

The pictures are made to come out the same every time:

- no answers, a fresh browser profile for each size, the page scrolled to its top, the mouse
  out of the way at the top left corner, reduced motion, and no animation or text caret in
  the picture (Playwright's `animations="disabled"`, `caret="hide"`);
- each picture waits for the step to settle: its heading has the focus (the page moves it
  there), its charts are drawn by plotly.js, its frames are loaded, fonts are ready, no
  request is pending and the page has not changed for a second (the steps built ahead of
  time in the background are done), and two pictures in a row are the same;
- the page itself shows no date, but the summary on step 10 is dated by the kernel
  (`date.today()` in the summary step): the line with the date (`.meta`: clinic, date and
  "not a diagnosis") is masked in the picture, a magenta bar. In the frame, at both sizes,
  that line stays on one line whatever the date ("30 September" too), so nothing below it
  moves from one day to the next. The printable summaries are given a fixed date instead.

`--tree DIR` captures the workbook of another checkout (a git worktree) with this tool. The
server, its kernels and the summaries import the `workbook` package of the tree captured
(PYTHONPATH is set to it, and checked on every kernel): the virtual environment's editable
install points at one tree only, and a kernel runs in the `notebooks/` folder, so without it
a kernel served from another worktree would run the code of the tree that was installed.

`compare` compares every PNG pixel by pixel (with Pillow if it is installed, else with
ImageMagick's `compare -metric AE`) and every summary byte by byte, prints one line per file
(same / differs / missing) and exits 1 if anything differs or is missing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZES = ((768, 1024), (1366, 768))
STEPS = 10
SUMMARY_DATE = "2026-12-06"
POOL_SIZE = 2
QUIET_MS = 1000  # the page has not changed for this long
NETWORK_QUIET_S = 0.5  # no request pending for this long
SETTLE_TIMEOUT_MS = 60_000
SAME_SHOTS_TRIES = 8

# Every mutation of the page, noted from its very start.
WATCH_CHANGES = """
window.__screensChanged = performance.now();
new MutationObserver(() => { window.__screensChanged = performance.now(); })
  .observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
"""

# The step is drawn: its heading has the focus (after a Next), every chart on screen is drawn,
# every frame is loaded, with its fonts.
STEP_DRAWN = """
({ step, moved }) => {
  const progress = document.querySelector(".wb-progress__text");
  if (!progress || !progress.textContent.includes(`Step ${step} of`)) return false;
  const heading = document.querySelector(".wb-app__body h1");
  if (!heading) return false;
  if (moved && document.activeElement !== heading) return false;
  const shown = (element) => element.getClientRects().length > 0;
  for (const chart of document.querySelectorAll(".wb-chart")) {
    if (shown(chart) && !chart.querySelector(".main-svg")) return false;
  }
  for (const frame of document.querySelectorAll("iframe")) {
    const inner = frame.contentDocument;
    if (shown(frame) && (!inner || inner.readyState !== "complete" || inner.fonts.status !== "loaded")) return false;
  }
  return document.fonts.status === "loaded" && document.readyState === "complete";
}
"""

QUIET = "quiet => performance.now() - window.__screensChanged >= quiet"

# Every animation that ends has ended (reduced motion leaves few); then two frames drawn.
ANIMATIONS_DONE = """
async () => {
  const ending = document.getAnimations().filter((a) => {
    const timing = a.effect ? a.effect.getComputedTiming() : null;
    return timing && Number.isFinite(timing.endTime) && a.playState === "running";
  });
  await Promise.all(ending.map((a) => a.finished.catch(() => null)));
  await document.fonts.ready;
  window.scrollTo(0, 0);
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return window.scrollX === 0 && window.scrollY === 0;
}
"""

SUMMARY_FRAME = "iframe.wb-summary__frame"
DATED = ".meta"  # in the summary: clinic, date, "not a diagnosis"


# ---------------------------------------------------------------- capture


def tree_env(tree: Path) -> dict[str, str]:
    """The environment for the server, its kernels and the summaries: the tree's `workbook` first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH", "")]))
    return env


def scenario_names(tree: Path) -> list[str]:
    """The demo scenarios' names, as the tree's workbook has them."""
    program = ("from workbook.content import load_content\n"
               "from workbook.domain.scenarios import scenarios\n"
               "print('\\n'.join(scenarios(load_content())))\n")
    done = subprocess.run([sys.executable, "-c", program], cwd=tree, env=tree_env(tree),
                          capture_output=True, text=True)
    if done.returncode == 0 and done.stdout.split():
        return done.stdout.split()
    # Where the module has moved: the command's own answer to an unknown name lists them.
    refused = subprocess.run(
        [sys.executable, "-m", "workbook", "summary", "--scenario", "?", "--out", os.devnull],
        cwd=tree, env=tree_env(tree), capture_output=True, text=True,
    )
    found = re.search(r"choose one of: (.+)", refused.stderr)
    if not found:
        raise SystemExit(f"benchmarks.screens: cannot list the scenarios:\n{done.stderr}\n{refused.stderr}")
    return [name.strip() for name in found.group(1).split(",")]


def write_summaries(tree: Path, out: Path) -> list[Path]:
    written = []
    for name in scenario_names(tree):
        path = out / f"summary-{name}.html"
        subprocess.run(
            [sys.executable, "-m", "workbook", "summary", "--scenario", name, "--out", str(path),
             "--date", SUMMARY_DATE],
            cwd=tree, env=tree_env(tree), check=True, capture_output=True,
        )
        written.append(path)
    return written


class Requests:
    """The page's requests still pending (the kernel's websocket is not one)."""

    def __init__(self, page) -> None:
        self.pending: set = set()
        self.changed = time.monotonic()
        page.on("request", self._start)
        page.on("requestfinished", self._end)
        page.on("requestfailed", self._end)

    def _start(self, request) -> None:
        if request.resource_type != "websocket":
            self.pending.add(request)
            self.changed = time.monotonic()

    def _end(self, request) -> None:
        self.pending.discard(request)
        self.changed = time.monotonic()

    def wait_idle(self, page, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.pending or time.monotonic() - self.changed < NETWORK_QUIET_S:
            if time.monotonic() > deadline:
                urls = ", ".join(sorted(r.url for r in self.pending))
                raise TimeoutError(f"requests still pending after {timeout:g} s: {urls}")
            page.wait_for_timeout(50)  # Playwright delivers the page's events while it waits


def settle(page, requests: Requests, step: int) -> None:
    """Wait until the step is drawn and nothing on the page moves any more."""
    page.wait_for_function(STEP_DRAWN, arg={"step": step, "moved": step > 1}, timeout=SETTLE_TIMEOUT_MS)
    requests.wait_idle(page)
    page.wait_for_function(QUIET, arg=QUIET_MS, timeout=SETTLE_TIMEOUT_MS, polling=100)
    page.mouse.move(0, 0)
    if not page.evaluate(ANIMATIONS_DONE):
        raise RuntimeError(f"step {step}: the page would not scroll to its top")


def masks(page) -> list:
    """What the kernel dates: the summary's date lines, in its frame."""
    if page.locator(SUMMARY_FRAME).count() == 0:
        return []
    return [page.frame_locator(SUMMARY_FRAME).locator(DATED)]


def shoot(page, path: Path) -> None:
    """A full-page picture, once two in a row are the same."""
    options = {"full_page": True, "animations": "disabled", "caret": "hide", "scale": "css",
               "mask": masks(page), "mask_color": "#FF00FF"}
    last = page.screenshot(**options)
    for _ in range(SAME_SHOTS_TRIES):
        page.wait_for_timeout(250)
        again = page.screenshot(**options)
        if again == last:
            path.write_bytes(again)
            return
        last = again
    raise RuntimeError(f"{path.name}: the page kept changing ({SAME_SHOTS_TRIES + 1} pictures, no two the same)")


def capture_size(browser, url: str, out: Path, width: int, height: int) -> list[Path]:
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                  reduced_motion="reduce", color_scheme="light", locale="en-GB",
                                  timezone_id="UTC")
    written = []
    try:
        context.add_init_script(WATCH_CHANGES)
        page = context.new_page()
        requests = Requests(page)
        page.goto(url)
        next_button = page.get_by_role("button", name="Next", exact=True)
        next_button.wait_for(timeout=90_000)
        for step in range(1, STEPS + 1):
            if step > 1:
                next_button.click()
                page.locator(".wb-progress__text").filter(has_text=f"Step {step} of {STEPS}").wait_for(
                    timeout=30_000)
            settle(page, requests, step)
            path = out / f"{width}-step-{step:02d}.png"
            shoot(page, path)
            written.append(path)
            print(f"  {path.name}", flush=True)
    finally:
        context.close()
    return written


def check_kernels(server, tree: Path) -> None:
    """Every kernel of the server imports the tree's `workbook` (see the module's docstring)."""
    import psutil

    checked = 0
    for process in server.processes():
        try:
            if "ipykernel_launcher" not in " ".join(process.cmdline()):
                continue
            path = process.environ().get("PYTHONPATH", "")
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        if path.split(os.pathsep)[0] != str(tree):
            raise RuntimeError(f"a kernel would not import {tree}/workbook (PYTHONPATH={path!r})")
        checked += 1
    if not checked:
        raise RuntimeError("no kernel of the server found to check")


def capture(out: Path, tree: Path = ROOT) -> int:
    from playwright.sync_api import sync_playwright

    from tests.support.servers import CHROMIUM, CHROMIUM_ARGS, serve_workbook

    out, tree = out.resolve(), tree.resolve()
    if not (tree / "workbook" / "__main__.py").is_file():
        print(f"benchmarks.screens: no workbook package in {tree}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("*-step-*.png"), *out.glob("summary-*.html")]:
        old.unlink()  # a capture that fails leaves no picture of an earlier one behind
    os.chdir(tree)  # `python -m workbook` then serves the tree, wherever the command was given
    started = time.monotonic()
    print(f"capturing the workbook of {tree} into {out}", flush=True)
    for path in write_summaries(tree, out):
        print(f"  {path.name}", flush=True)
    server = serve_workbook(pool_size=POOL_SIZE, log=HERE / "artifacts" / "screens-server.log", env=tree_env(tree))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width, height in SIZES:
                print(f"{width} x {height}", flush=True)
                capture_size(browser, server.url, out, width, height)
                check_kernels(server, tree)
            browser.close()
    finally:
        server.stop()
    print(f"captured in {time.monotonic() - started:.0f} s", flush=True)
    return 0


# ---------------------------------------------------------------- compare


def png_size(path: Path) -> tuple[int, int]:
    """Width and height, from the PNG's header."""
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def differing_pixels(before: Path, after: Path) -> str | None:
    """None if the two pictures are the same pixel for pixel, else how they differ."""
    if before.read_bytes() == after.read_bytes():
        return None
    one, two = png_size(before), png_size(after)
    if one != two:  # a page longer or shorter: no pixel count means anything
        return f"size {one[0]}x{one[1]} against {two[0]}x{two[1]}"
    try:
        from PIL import Image, ImageChops
    except ImportError:
        return _differing_pixels_magick(before, after)
    with Image.open(before) as first, Image.open(after) as second:
        difference = ImageChops.difference(first.convert("RGBA"), second.convert("RGBA"))
        # A pixel differs where any of its four channels does.
        channels = difference.split()
        mask = channels[0]
        for channel in channels[1:]:
            mask = ImageChops.lighter(mask, channel)
        count = sum(mask.point(lambda value: 255 if value else 0).histogram()[1:])
    return f"{count} pixels" if count else None


def _differing_pixels_magick(before: Path, after: Path) -> str | None:
    if shutil.which("compare") is None:
        raise SystemExit("benchmarks.screens: neither Pillow nor ImageMagick's compare is installed")
    done = subprocess.run(["compare", "-metric", "AE", str(before), str(after), "null:"],
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: they differ; 2: an error
        raise RuntimeError(f"compare failed on {before.name}: {done.stderr.strip()}")
    count = round(float(done.stderr.split()[0]))
    return f"{count} pixels" if count else None


def differing_bytes(before: Path, after: Path) -> str | None:
    one, two = before.read_bytes(), after.read_bytes()
    if one == two:
        return None
    first = next((i for i, (a, b) in enumerate(zip(one, two)) if a != b), min(len(one), len(two)))
    return f"from byte {first} ({len(one)} bytes against {len(two)})"


def compare(before: Path, after: Path) -> int:
    """One line per file; 1 if any file differs or is missing from either folder, else 0."""
    names = sorted({p.name for folder in (before, after) if folder.is_dir()
                    for p in folder.iterdir() if p.suffix in (".png", ".html")})
    if not names:
        print(f"nothing to compare in {before} and {after}")
        return 1
    failed = 0
    for name in names:
        one, two = before / name, after / name
        if not one.is_file() or not two.is_file():
            print(f"{name}: missing in {before if not one.is_file() else after}")
            failed += 1
            continue
        found = differing_pixels(one, two) if name.endswith(".png") else differing_bytes(one, two)
        if found is None:
            print(f"{name}: same")
        else:
            print(f"{name}: differs: {found}")
            failed += 1
    print(f"{len(names) - failed} of {len(names)} files the same" + (f", {failed} not" if failed else ""))
    return 1 if failed else 0


# ---------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.screens", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(required=True, dest="command")
    take = commands.add_parser("capture", help="picture every step at 768 and 1366 px, and write every summary")
    take.add_argument("out", type=Path, metavar="OUT_DIR")
    take.add_argument("--tree", type=Path, default=ROOT, metavar="DIR",
                      help=f"the checkout whose workbook is captured (default: {ROOT})")
    check = commands.add_parser("compare", help="compare two captures; exit 1 if anything differs or is missing")
    check.add_argument("before", type=Path, metavar="BEFORE_DIR")
    check.add_argument("after", type=Path, metavar="AFTER_DIR")
    args = parser.parse_args(argv)
    if args.command == "capture":
        return capture(args.out, args.tree)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
