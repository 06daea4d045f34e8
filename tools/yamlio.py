"""Reading YAML data (data/*.yml, page front matter) with libyaml's parser when PyYAML was
built with it, as its wheels are: the same documents, read about ten times faster than by
the pure-Python parser (data/compatibility.yml: 0.43 s -> 0.08 s), which a build and several
tests pay again in every process."""

from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str):
    """yaml.safe_load(text), with the faster parser when there is one."""
    return yaml.load(text, Loader=_LOADER)
