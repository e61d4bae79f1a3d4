"""The license file is MIT with this project's copyright line.

What the source distribution carries is checked by ``.ci/sdist.sh``, which
builds it as a user would (that needs the build backend, which pip fetches:
the tests stay offline and the dev tools stay pytest and mypy).
"""

import os

import mpy


def test_the_license_is_mit_with_this_projects_copyright_line() -> None:
    with open(os.path.join(mpy.REPO_ROOT, "LICENSE")) as handle:
        lines = handle.read().splitlines()
    assert lines[0] == "MIT License"
    assert lines[2].startswith("Copyright (c) ") and lines[2].endswith(" the tinynet authors")
    assert "Permission is hereby granted, free of charge" in lines[4]
