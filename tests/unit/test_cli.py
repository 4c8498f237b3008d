"""`workbook check` and `workbook serve` on good and broken content."""

from __future__ import annotations

import os

import pytest

from workbook import cli


def test_check_prints_counts_and_succeeds(capsys):
    assert cli.main(["check"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("10 chapters, ")
    assert " quiz questions, " in captured.out and ", content version 2.0.0, " in captured.out
    # The example phone number data/clinic.yaml ships with: valid, but not "all valid".
    assert captured.out.rstrip().endswith(": valid, with 1 warning")
    assert captured.err.splitlines() == [
        "warning: data/clinic.yaml: clinic_phone: 01632 960000 is the example number; set your clinic's own"
    ]
    assert cli.main(["check", "--strict"]) == 1


def test_check_lists_every_problem_and_fails(edit, data_copy, capsys, monkeypatch):
    monkeypatch.chdir(data_copy.parent)
    edit("quizzes.yaml", "    correct: [b]\n", "    correct: [d]\n")
    edit("clinic.yaml", 'clinic_name: "Physiotherapy Department"', 'clinic_name: ""')
    assert cli.main(["check", "data"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "data/quizzes.yaml: question 'heat-ice-time': correct[0]: must be one of ('a', 'b', 'c') (got 'd') (line 151)",
        "data/clinic.yaml: settings: clinic_name: must not be empty (got '') (line 4)",
    ]


def test_serve_refuses_to_start_on_invalid_content(edit, data_copy, capsys, monkeypatch):
    monkeypatch.chdir(data_copy.parent)
    edit("quizzes.yaml", "    correct: [b]\n", "    correct: [d]\n")

    def no_exec(*args):  # pragma: no cover - reaching it fails the test
        raise AssertionError("Voilà must not start on invalid content")

    monkeypatch.setattr(os, "execve", no_exec)
    assert cli.main(["serve", "--data-dir", "data", "--port", "9"]) == 1
    err = capsys.readouterr().err
    assert "The workbook will not start" in err
    assert "data/quizzes.yaml: question 'heat-ice-time': correct[0]:" in err


def test_serve_starts_voila_with_production_settings(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "execve", lambda path, argv, env: calls.append((argv, env)))
    assert cli.main(["serve", "--port", "9999"]) == 0
    ((argv, env),) = calls
    assert argv[1:3] == ["-m", "workbook.serving.app"]
    assert argv[3].endswith("notebooks/workbook.ipynb")
    for flag in ["--Voila.ip=127.0.0.1", "--port=9999", "--template=workbook"]:
        assert flag in argv
    assert env["JUPYTER_PATH"].split(os.pathsep)[0].endswith("workbook/ui/share")


@pytest.mark.parametrize("argv", [["serve", "--port", "x"], ["nothing"]])
def test_bad_arguments_exit_with_usage(argv, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    assert caught.value.code == 2
    assert "usage: workbook" in capsys.readouterr().err


def test_production_config_hardens_the_server():
    from workbook.serving.app import production_config

    config = production_config()
    assert config.VoilaConfiguration.strip_sources is True
    assert config.VoilaConfiguration.show_tracebacks is False
    assert config.VoilaConfiguration.file_allowlist == []
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.MappingKernelManager.cull_connected is False
    policy = config.Voila.tornado_settings["headers"]["Content-Security-Policy"]
    assert "default-src 'self'" in policy


def test_the_served_page_draws_its_own_charts_and_its_kernels_know_it():
    from workbook.page.charts_script import PAGE_CHARTS_VARIABLE
    from workbook.serving.settings import ServeSettings, voila_environment
    from workbook.serving.app import production_config

    # plotly's lab extension is left out of the page only where the kernels draw for the page.
    assert "jupyterlab-plotly" in production_config().VoilaConfiguration.extension_denylist
    assert voila_environment(ServeSettings())[PAGE_CHARTS_VARIABLE] == "1"


def test_serve_passes_the_wait_and_the_limit(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "execve", lambda path, argv, env: calls.append(argv))
    assert cli.main(["serve", "--max-patients", "7", "--pool-size", "1"]) == 0
    assert cli.main(["serve", "--cull-after", "30"]) == 0
    (default_wait, given_wait) = calls
    assert "--WorkbookKernelManager.max_kernels=7" in default_wait
    assert "--MappingKernelManager.cull_idle_timeout=600" in default_wait  # idle_reset_minutes: 10
    assert "--MappingKernelManager.cull_idle_timeout=30" in given_wait


def test_serve_refuses_a_pool_larger_than_the_limit(monkeypatch, capsys):
    monkeypatch.setattr(os, "execve", lambda *args: pytest.fail("must not start"))
    assert cli.main(["serve", "--max-patients", "1", "--pool-size", "2"]) == 2
    assert "--pool-size (2) cannot be more than --max-patients (1)" in capsys.readouterr().err


def test_serve_passes_the_server_names(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "execve", lambda path, argv, env: calls.append(argv))
    assert cli.main(["serve", "--server-name", "clinic-pc", "--server-name", "clinic-pc.trust.example"]) == 0
    (argv,) = calls
    assert "--WorkbookVoila.server_names=clinic-pc" in argv
    assert "--WorkbookVoila.server_names=clinic-pc.trust.example" in argv


def test_serve_passes_the_places_per_address_the_claim_time_and_the_proxies(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "execve", lambda path, argv, env: calls.append(argv))
    assert cli.main(["serve", "--max-patients", "7", "--pool-size", "1"]) == 0
    assert cli.main(["serve", "--max-patients", "7", "--pool-size", "1", "--places-per-address", "7",
                     "--claim-seconds", "45", "--proxy-address", "10.0.0.2"]) == 0
    defaults, given = calls
    assert "--WorkbookKernelManager.places_per_address=4" in defaults  # half of 7
    assert "--WorkbookKernelManager.claim_seconds=30" in defaults
    assert "--WorkbookKernelManager.places_per_address=7" in given
    assert "--WorkbookKernelManager.claim_seconds=45" in given
    assert "--WorkbookVoila.proxy_addresses=10.0.0.2" in given
