"""How much memory a clinic machine needs for N patients: `python -m benchmarks.memory`.

Serves the workbook as `workbook serve` does (a pool of 2), then opens pages one at a time,
each in its own browser profile, and walks each through all ten steps (every step built, the
most a patient's kernel holds). Reads the resident (RSS) and proportional (PSS) memory of the
server and all its kernels with 0, 5 and 10 patients, and writes `benchmarks/memory.md`.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.support.servers import CHROMIUM, CHROMIUM_ARGS, serve_workbook

HERE = Path(__file__).parent
COUNTS = (0, 5, 10)
POOL_SIZE = 2


def walk_all_steps(page) -> None:
    page.get_by_role("button", name="Next", exact=True).wait_for(timeout=60_000)
    for step in range(2, 11):
        page.get_by_role("button", name="Next", exact=True).click()
        page.locator(".wb-progress__text").filter(has_text=f"Step {step} of 10").wait_for(timeout=30_000)


def main() -> None:
    server = serve_workbook(pool_size=POOL_SIZE, log=HERE / "artifacts" / "memory-server.log")
    readings: dict[int, dict[str, float]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            pages = []
            for count in COUNTS:
                while len(pages) < count:
                    page = browser.new_context(viewport={"width": 768, "height": 1024}).new_page()
                    page.goto(server.url)
                    walk_all_steps(page)
                    pages.append(page)
                time.sleep(8)  # the pool refills after a page takes a kernel
                readings[count] = server.memory()
                print(f"{count} patients: {readings[count]['rss_mb']:.0f} MB RSS, "
                      f"{readings[count]['pss_mb']:.0f} MB PSS", flush=True)
            browser.close()
    finally:
        server.stop()
    high, low = COUNTS[-1], COUNTS[1]
    per_rss = (readings[high]["rss_mb"] - readings[low]["rss_mb"]) / (high - low)
    per_pss = (readings[high]["pss_mb"] - readings[low]["pss_mb"]) / (high - low)
    base = readings[0]["rss_mb"]
    lines = [
        "# Memory for N patients",
        "",
        f"`python -m benchmarks.memory`, {datetime.now(timezone.utc):%Y-%m-%d}: the server with a pool of "
        f"{POOL_SIZE}, each page walked through all ten steps, each in its own browser profile.",
        "",
        "| patients | server and kernels, RSS | PSS |",
        "|---:|---:|---:|",
        *(f"| {count} | {readings[count]['rss_mb']:,.0f} MB | {readings[count]['pss_mb']:,.0f} MB |"
          for count in COUNTS),
        "",
        f"Each extra patient ({low} to {high}): {per_rss:.0f} MB RSS, {per_pss:.0f} MB PSS.",
        "",
        "| patients | memory needed (RSS, measured base plus the measured cost per patient) |",
        "|---:|---:|",
        *(f"| {n} | {(base + n * per_rss) / 1024:.1f} GB |" for n in (10, 20, 30, 50)),
        "",
    ]
    (HERE / "memory.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
