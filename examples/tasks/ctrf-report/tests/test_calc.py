import os
import sys

sys.path.insert(0, "/app")


def test_add():
    from calc import add

    assert add(2, 3) == 5


def test_greet():
    from calc import greet

    assert greet() == os.environ["EXPECTED_GREETING"]


def test_done_marker():
    assert os.path.exists("/app/DONE")
