"""The virtual home: Xiaomi devices simulated as real miIO endpoints on loopback addresses.

Not shipped to users: it backs the demo, the test suite and the benchmarks. Its home file and
admin API are a public contract, documented in README.md next to this file.

In-process use::

    home = load_home("simulator/homes/demo.yaml")   # blocking file I/O
    sim = Simulator(home, first_address="127.0.0.2", port=54321, seed=1)
    await sim.start()
    ...
    await sim.stop()
"""

from .device import VirtualDevice
from .faults import FaultError, Faults
from .home import AccountConfig, DeviceConfig, Home, HomeFileError, load_home
from .simulator import Simulator
from .state import StateError

__all__ = [
    "AccountConfig",
    "DeviceConfig",
    "FaultError",
    "Faults",
    "Home",
    "HomeFileError",
    "Simulator",
    "StateError",
    "VirtualDevice",
    "load_home",
]
