"""Lexigraph's benchmarks (not tests): ``python -m bench`` or ``make bench``.

- :mod:`bench.generate` writes synthetic glossaries (``write_glossary(directory, n, seed)``);
  other benchmarks import it.
- :mod:`bench.build_scale` builds them with Lexigraph and with plain mkdocs-material and
  reports time, memory, output and page weight. See ``bench/README.md``.
"""
