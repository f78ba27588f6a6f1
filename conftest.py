"""pytest settings for the whole repository (tests/conftest.py holds the test fixtures)."""


def pytest_configure(config):
    """Run notebooks on this environment's Python unless a kernel is named.

    So plain ``pytest --nbval notebooks/`` works without the ``policylab`` kernel that
    ``make lab`` installs (the notebooks' metadata names that kernel).
    """
    option = config.option
    if hasattr(option, "nbval_current_env") and not getattr(option, "nbval_kernel_name", None):
        option.nbval_current_env = True
