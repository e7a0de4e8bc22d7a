"""The audio engine: timeline types, media sources, the one mixer, devices, DSP.

Pure Python + numpy. No Qt, no database: everything above builds on this.
"""

DEFAULT_RATE = 48_000
