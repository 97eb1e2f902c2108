"""The development scripts; `demo_bootstrap` is imported by the scale benchmark too."""
