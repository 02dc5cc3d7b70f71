"""How `make test` hands tests to its two workers (tests/conftest.py): a file stays together (its module
fixtures, such as the Ray cluster, are built once), the assignment validations spread, the longest
units come first and still name existing tests."""

from __future__ import annotations

from graders.course import Course

from .conftest import _LONGEST_FIRST, ROOT, run_order, scope_of

VALIDATES = "tests/test_content.py::test_assignment_validates["


def test_a_file_stays_together_and_the_validations_spread():
    assert scope_of("tests/test_ray.py::test_a") == scope_of("tests/test_ray.py::test_b[x]") == "tests/test_ray.py"
    assert scope_of(f"{VALIDATES}05-a]") != scope_of(f"{VALIDATES}06-b]")
    assert scope_of("tests/test_content.py::test_mutation_record_is_current_and_every_group_kills_enough[05-a]") \
        == "tests/test_content.py"


def test_the_longest_units_come_first_and_name_existing_tests():
    assignments = Course(ROOT).assignments()
    for prefix in _LONGEST_FIRST:  # a renamed file or assignment would silently lose its place
        assert (ROOT / prefix.split("::")[0]).is_file(), prefix
        if prefix.startswith(VALIDATES):
            assert any(f"{aid}]".startswith(prefix.removeprefix(VALIDATES)) for aid in assignments), prefix
    orders = [run_order(prefix + ("x]" if prefix.endswith("-") else ""), True) for prefix in _LONGEST_FIRST]
    assert orders == sorted(orders)
    assert max(orders) < run_order("tests/test_collect.py::t", True) < run_order("tests/test_x.py::t", False)
