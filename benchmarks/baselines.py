"""The two baselines the workbook is measured against, in the same run.

- The floor: a static HTML page with the workbook's first step (same text, same theme, a Next
  button that shows the next step's chapter with a few lines of JavaScript), served by
  `python -m http.server`. No kernel, no widgets: what a page of this size costs at least.
- The framework: a bare Voilà page with one heading and one Next button (`bare.ipynb`), served
  with exactly the production settings of `workbook serve`. What Voilà and ipywidgets cost
  before the workbook adds anything.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from workbook.content import load_content
from workbook.page.theme import theme_css
from workbook.ui.chapter import chapter_html
from workbook.ui.navigation import progress_html

BARE_NOTEBOOK = Path(__file__).parent / "bare.ipynb"

_STATIC_SCRIPT = """
(function () {
  var steps = JSON.parse(document.getElementById("wb-steps").textContent);
  var step = 1;
  function show() {
    document.getElementById("wb-progress").innerHTML = steps[step - 1].progress;
    document.getElementById("wb-body").innerHTML = steps[step - 1].chapter;
    document.getElementById("wb-back").disabled = step === 1;
  }
  document.getElementById("wb-next").addEventListener("click", function () {
    step = step % steps.length + 1;
    show();
  });
  document.getElementById("wb-back").addEventListener("click", function () {
    if (step > 1) { step -= 1; show(); }
  });
})();
"""


def write_static_site(folder: Path) -> Path:
    """Write the static floor page and its stylesheet into `folder`; return the page's path."""
    content = load_content()
    text = content.text.app
    steps = [
        {
            "progress": progress_html(step=c.step, step_count=content.step_count, title=c.title, text=text),
            "chapter": chapter_html(c, key_message_label=text.key_message),
        }
        for c in content.chapters
    ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "workbook.css").write_text(theme_css(), encoding="utf-8")
    # The JSON sits in a script element; "</" must not end it early.
    data = json.dumps(steps).replace("</", "<\\/")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(text.title)}</title>
<link rel="icon" href="data:;base64,=">
<link rel="stylesheet" href="workbook.css">
</head>
<body class="wb-page"><main class="wb-app">
<div class="wb-header"><p class="wb-header__title">{escape(text.title)}</p>
<p class="wb-header__clinic">{escape(content.clinic.clinic_name)}</p></div>
<div class="wb-progress" id="wb-progress">{steps[0]["progress"]}</div>
<div class="wb-app__body" id="wb-body">{steps[0]["chapter"]}</div>
<div class="wb-nav">
<button class="wb-button wb-button--secondary" id="wb-back" disabled>{escape(text.back)}</button>
<button class="wb-button wb-button--primary" id="wb-next">{escape(text.next)}</button>
</div></main>
<script type="application/json" id="wb-steps">{data}</script>
<script>{_STATIC_SCRIPT}</script>
</body></html>
"""
    path = folder / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
