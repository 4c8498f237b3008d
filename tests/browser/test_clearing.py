"""Nothing of a patient is kept: the idle reset clears the page, and no file anywhere holds
what a patient typed."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.pages import (
    expect_step,
    kernel_id,
    leave,
    open_page,
    serve_copy,
    shot,
    wait_for_fresh_page,
)


def test_idle_reset_warns_then_clears_and_a_touch_cancels(browser, tmp_path):
    server = serve_copy(tmp_path, ("idle_reset_minutes: 10", "idle_reset_minutes: 0.6"))  # 36 s
    try:
        visit = open_page(browser, server.url)
        page = visit.page
        page.get_by_role("button", name="Next", exact=True).click()
        expect_step(page, 2)
        page.locator(".wb-redflag", has_text="chest pain").get_by_label("Yes").check()  # arms the timer
        warning = page.get_by_role("alertdialog")
        expect(warning).to_be_visible(timeout=15_000)  # 30 s before the end: after about 6 s
        expect(warning).to_contain_text("the workbook will clear itself in")
        shot(page, "idle-warning-768x1024")
        page.mouse.click(5, 5)  # a touch cancels
        expect(warning).to_be_hidden()
        expect_step(page, 2)
        expect(warning).to_be_visible(timeout=15_000)
        # Nobody touches: cleared at the end of the warning.
        expect(page.locator(".wb-progress__text")).to_contain_text("Step 1 of 10", timeout=45_000)
        expect(warning).to_be_hidden()
        expect(page.locator(".wb-care-area .wb-care-card")).to_have_count(0)
        page.get_by_role("button", name="Next", exact=True).click()
        expect(page.locator(".wb-redflag", has_text="chest pain").get_by_label("Yes")).not_to_be_checked()
        leave(page)
    finally:
        server.stop()


def files_containing(marker: bytes, roots, skip=()) -> list[str]:
    """Every readable file under the roots whose bytes contain the marker."""
    import os

    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip and d not in (".venv", ".git")]
            for name in files:
                path = os.path.join(folder, name)
                try:
                    if os.path.getsize(path) < 20_000_000 and marker in Path(path).read_bytes():
                        found.append(path)
                except OSError:
                    continue
    return found


def test_nothing_of_a_patient_stays_anywhere(browser, tmp_path, tmp_path_factory):
    import uuid

    from workbook.serving.settings import PROJECT_DIR

    marker = f"privacy-{uuid.uuid4().hex}"
    home, runtime, temp, downloads = (tmp_path / name for name in ("home", "runtime", "temp", "downloads"))
    for folder in (home, runtime, temp, downloads):
        folder.mkdir()
    env = {"HOME": str(home), "JUPYTER_RUNTIME_DIR": str(runtime), "TMPDIR": str(temp)}
    server = serve_copy(tmp_path, env=env)
    try:
        visit = open_page(browser, server.url)
        page = visit.page
        menu = page.get_by_label("Go to step")
        page.get_by_role("button", name="Next", exact=True).click()
        page.locator(".wb-redflag", has_text="chest pain").get_by_label("No").check()
        menu.select_option(label="4. What causes back spasms")
        page.get_by_label("Do you often lift heavy things?").check()
        menu.select_option(label="5. Signs and finding the cause")
        page.get_by_label("Leg, right").check()
        page.get_by_label("In your own words").fill(f"it started {marker}")
        menu.select_option(label="6. Treatment")
        first = page.locator(".wb-quiz__question").nth(0)
        first.get_by_label("20 to 30 minutes").check()
        first.get_by_role("button", name="Check my answer").click()
        menu.select_option(label="10. Your summary")
        with page.expect_download() as caught:
            page.get_by_role("link", name="Download").click()
        saved = downloads / "summary.html"
        caught.value.save_as(saved)
        assert marker in saved.read_text()  # the patient's own copy
        saved.unlink()
        old_kernel = kernel_id(page)
        page.get_by_role("button", name="New patient").click()
        page.get_by_role("button", name="Yes, clear everything").click()
        wait_for_fresh_page(page, old_kernel)
        for step in range(2, 11):
            page.get_by_role("button", name="Next", exact=True).click()
            expect_step(page, step)
            assert marker not in page.content()
        assert marker not in page.frame_locator("iframe.wb-summary__frame").locator("body").inner_text()
        leave(page)
    finally:
        server.stop()
    # The server's home, runtime and temp folders and its log are all under tmp_path.
    roots = [PROJECT_DIR, tmp_path, "/tmp"]
    skip = {str(tmp_path_factory.getbasetemp())}  # /tmp's walk skips this run's own test folders
    canary = runtime / "canary.txt"  # first show that the scan finds the marker where it is
    canary.write_text(marker)
    assert files_containing(marker.encode(), roots, skip) == [str(canary)]
    canary.unlink()
    assert files_containing(marker.encode(), roots, skip) == []
