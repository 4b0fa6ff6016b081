"""The levelled validator: L1 file, L2 schema, L3 article, L4 corpus (see schema/CHECKS.md).

`khabar.validate(paths)` is the API function (khabar.api.validate). This package shares its
name, and importing a package's submodule rebinds the parent's attribute to the submodule, so
the package itself is made callable with the same behaviour: `khabar.validate(...)` works
whichever of the two the attribute holds.
"""

import sys
import types

from khabar.validate.runner import ValidationReport, validate_paths

__all__ = ["ValidationReport", "validate_paths"]


class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs):
        from khabar.api import validate

        return validate(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
