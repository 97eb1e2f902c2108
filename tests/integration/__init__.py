"""Home Assistant with the integration, against the simulated home over loopback UDP."""
