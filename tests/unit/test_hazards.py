"""The hazard log stays true: every test a control names exists, every hazard the workbook must
answer for is in it, no control raises a risk, the risk matrix is DCB0129's, and a broken log is
named by file, hazard, field and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook import cli
from workbook.content import InvalidContent, load_content
from workbook.content.safety_models import LIKELIHOODS, SEVERITIES, Risk
from workbook.content.safety import defined_tests, missing_tests

ROOT = Path(__file__).resolve().parents[2]
CONTENT = load_content()
# The hazards the log must hold, each for what can go wrong.
REQUIRED = {
    "missed-emergency-sign": "an emergency warning sign is not asked about",
    "sign-level-too-low": "a sign shows a care card of too low a level",
    "care-card-out-of-view": "the care card is hidden, covered or scrolled away",
    "previous-patient-answers": "a previous patient's answers are shown to the next",
    "summary-cut-off": "the summary is cut off or cannot be printed",
    "medicine-misread": "a medicine is taken wrongly (no amounts anywhere)",
    "page-frozen": "the page stops working without saying so",
    "invalid-content": "content is edited into a broken state",
    "text-too-hard": "the text is too hard to read",
    "markup-injection": "patient text runs as markup",
    "read-as-diagnosis": "the workbook, or no card, is read as a diagnosis or as safe",
    "release-not-set-up": "the example phone number or out-of-date content is in use",
    "session-reached-from-another-device": "another device reaches a patient's kernel",
    "wrong-emergency-number": "the emergency number is wrong",
}
FIRST_TEST = "tests/unit/test_redflags.py::test_every_warning_sign_has_its_expected_level"
SECOND_TEST = "tests/unit/test_redflags.py::test_questions_show_under_their_groups_with_health_history_last"
THIRD_TEST = "tests/widgets/test_redflag_signs.py::test_the_safety_check_shows_each_group_under_its_heading_with_health_last"


def test_every_control_names_a_test_that_exists():
    assert missing_tests(CONTENT.hazards, ROOT) == []


def test_a_made_up_test_is_named_with_its_hazard_and_control(edit, data_copy):
    edit("hazards.yaml", FIRST_TEST, "tests/unit/test_redflags.py::test_made_up")
    edit("hazards.yaml", "tests/unit/test_summary.py::test_when_to_get_help_lists_every_sign_under_its_level_and_heading",
         "tests/unit/test_nowhere.py::TestSummary::test_when_to_get_help")
    assert missing_tests(load_content(data_copy).hazards, ROOT) == [
        "data/hazards.yaml: hazard 'missed-emergency-sign': controls[0].tests[0]: tests/unit/test_redflags.py "
        "has no test 'test_made_up' (got 'tests/unit/test_redflags.py::test_made_up')",
        "data/hazards.yaml: hazard 'missed-emergency-sign': controls[3].tests[1]: there is no test file "
        "tests/unit/test_nowhere.py (got 'tests/unit/test_nowhere.py::TestSummary::test_when_to_get_help')",
    ]


def test_check_names_a_missing_test_and_fails(edit, data_copy, capsys, monkeypatch):
    monkeypatch.chdir(data_copy.parent)
    (data_copy.parent / "tests").symlink_to(ROOT / "tests")  # the project's tests beside the copy
    assert cli.main(["check", "data"]) == 0
    edit("hazards.yaml", FIRST_TEST, "tests/unit/test_redflags.py::test_made_up")
    assert cli.main(["check", "data"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        "data/hazards.yaml: hazard 'missed-emergency-sign': controls[0].tests[0]: tests/unit/test_redflags.py "
        "has no test 'test_made_up' (got 'tests/unit/test_redflags.py::test_made_up')"
    )


def test_defined_tests_are_functions_and_methods_of_test_classes(tmp_path):
    path = tmp_path / "test_example.py"
    path.write_text(
        "def test_a():\n    def test_inner():\n        pass\n"
        "async def test_b():\n    pass\n"
        "def helper():\n    pass\n"
        "class TestGroup:\n    def test_c(self):\n        pass\n    def setup_method(self):\n        pass\n"
        "class Helper:\n    def test_d(self):\n        pass\n",
        encoding="utf-8",
    )
    assert defined_tests(path) == {"test_a", "test_b", "TestGroup::test_c"}
    assert defined_tests(tmp_path / "test_none.py") is None
    (tmp_path / "test_broken.py").write_text("def test_(:\n", encoding="utf-8")
    assert defined_tests(tmp_path / "test_broken.py") is None


def test_every_required_hazard_is_in_the_log():
    ids = [hazard.id for hazard in CONTENT.hazards]
    assert len(ids) >= 12
    assert [name for name in REQUIRED if name not in ids] == []


def test_every_hazard_has_causes_and_controls_each_with_a_test():
    for hazard in CONTENT.hazards:
        assert hazard.causes and hazard.controls, hazard.id
        assert all(control.tests for control in hazard.controls), hazard.id


def test_no_remaining_risk_is_above_its_initial_risk():
    for hazard in CONTENT.hazards:
        assert hazard.remaining_risk.rating <= hazard.initial_risk.rating, hazard.id


@pytest.mark.parametrize(
    ("severity", "likelihood", "rating"),
    [
        ("minor", "very_high", 3),
        ("catastrophic", "very_high", 5),
        ("catastrophic", "very_low", 3),
        ("minor", "very_low", 1),
        ("major", "low", 3),
        ("considerable", "medium", 3),
        ("significant", "high", 3),
        ("major", "very_low", 2),
        ("catastrophic", "low", 4),
    ],
)
def test_the_risk_matrix_is_dcb0129s(severity, likelihood, rating):
    assert Risk(severity, likelihood).rating == rating


def test_the_risk_never_falls_as_severity_or_likelihood_rises():
    for likelihood in LIKELIHOODS:
        ratings = [Risk(severity, likelihood).rating for severity in SEVERITIES]
        assert ratings == sorted(ratings), likelihood
    for severity in SEVERITIES:
        ratings = [Risk(severity, likelihood).rating for likelihood in LIKELIHOODS]
        assert ratings == sorted(ratings), severity


def test_a_risk_in_words_says_what_it_comes_from():
    assert Risk("major", "low").words == "3 Medium (major × low)"
    assert Risk("minor", "very_low").words == "1 Very low (minor × very low)"
    assert Risk("catastrophic", "very_high").words == "5 Very high (catastrophic × very high)"


# (old text, new text, the one problem expected); the first hazard starts on line 12.
BROKEN = [
    pytest.param(
        "    remaining_risk: {severity: major, likelihood: very_low}\n\n  - id: sign-level-too-low",
        "    remaining_risk: {severity: catastrophic, likelihood: high}\n\n  - id: sign-level-too-low",
        "data/hazards.yaml: hazard 'missed-emergency-sign': remaining_risk: must not be above the initial risk, "
        "3 Medium (major × medium) (got '5 Very high (catastrophic × high)') (line 41)",
        id="remaining-above-initial",
    ),
    pytest.param(
        "  - id: missed-emergency-sign\n", "  - id: sign-level-too-low\n",
        "data/hazards.yaml: hazard 'sign-level-too-low': id: is used twice (got 'sign-level-too-low') (line 43)",
        id="duplicate-id",
    ),
    pytest.param(
        "{severity: major, likelihood: medium}\n    controls:\n      - control: The warning signs",
        "{severity: fatal, likelihood: medium}\n    controls:\n      - control: The warning signs",
        "data/hazards.yaml: hazard 'missed-emergency-sign': initial_risk.severity: must be 'minor', 'significant', "
        "'considerable', 'major' or 'catastrophic' (got 'fatal') (line 19)",
        id="unknown-severity",
    ),
    pytest.param(
        f"        tests:\n          - {FIRST_TEST}\n          - {SECOND_TEST}\n          - {THIRD_TEST}\n",
        "        tests: []\n",
        "data/hazards.yaml: hazard 'missed-emergency-sign': controls[0].tests: must have at least 1 items "
        "(got []) (line 22)",
        id="control-without-a-test",
    ),
    pytest.param(
        FIRST_TEST, "test_every_warning_sign_has_its_expected_level",
        "data/hazards.yaml: hazard 'missed-emergency-sign': controls[0].tests[0]: must name a test as "
        "tests/<file>.py::test_name or tests/<file>.py::TestClass::test_name "
        "(got 'test_every_warning_sign_has_its_expected_level') (line 23)",
        id="test-without-its-file",
    ),
    pytest.param(
        "    effect: A patient with signs of cauda equina syndrome or another emergency is not told to call 999 "
        "and gets help too late.\n", "",
        "data/hazards.yaml: hazard 'missed-emergency-sign': effect: is required (line 12)",
        id="missing-field",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN)
def test_a_broken_hazard_names_file_hazard_field_and_line(edit, data_copy, monkeypatch, old, new, expected):
    monkeypatch.chdir(data_copy.parent)
    edit("hazards.yaml", old, new)
    with pytest.raises(InvalidContent) as caught:
        load_content(Path("data"))
    assert [problem.located for problem in caught.value.problems] == [expected]
