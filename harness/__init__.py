"""What the tests, the benchmarks and the demo share: addresses, processes, homes, soak runs.

`harness.fixtures` is the pytest plugin that registers the shared fixtures (`tests/conftest.py`
names it in `pytest_plugins`); every other module holds plain helpers.
"""
