"""errors.py's docstring shows the tree: every error class defined there is drawn in it."""

from __future__ import annotations

import inspect

from leash import errors


def test_error_tree__every_error_class__drawn_in_the_docstring() -> None:
    defined = {
        name
        for name, value in vars(errors).items()
        if inspect.isclass(value)
        and issubclass(value, Exception)
        and value.__module__ == errors.__name__
    }
    doc = errors.__doc__ or ""
    drawn = {name for name in defined if f"── {name} " in doc}
    assert drawn == defined
    assert len(defined) == 27
