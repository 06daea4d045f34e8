"""Examples prove what they show (issue 11): the conventions C1-C3 hold on the real site, and
each check catches its pattern on a throwaway fixture project and accepts the fixed form."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from tests.harness import example_checks
from tools import site_config as config


def test_c1_every_round_trip_compares_configs():
    problems = example_checks.config_round_trips()
    assert not problems, "\n".join(problems)


def test_c2_examples_pass_non_default_values():
    problems = example_checks.non_default_values()
    assert not problems, "\n".join(problems)


def test_c3_every_tab_is_exercised():
    problems = example_checks.tabs_exercised()
    assert not problems, "\n".join(problems)


# --- fixtures ------------------------------------------------------------------------

def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def project(tmp_path: Path, module: str, page: str) -> config.SiteConfig:
    """The real mkdocs.yml, one snippet module and one English page."""
    shutil.copy(config.ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    write(tmp_path / "snippets/demo/drop.py", module)
    write(tmp_path / "docs/en/drop.md", page)
    return config.load(tmp_path)


LAYER = '''\
# --8<-- [start:layer]
import keras


class Drop(keras.layers.Layer):
    def __init__(self, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def get_config(self):
        return {**super().get_config(), "rate": self.rate}
# --8<-- [end:layer]

'''

ROUND_TRIP = '''\
# --8<-- [start:round_trip]
model = keras.Sequential([keras.Input(shape=(2,)), Drop(rate=0.05)])
model.save("drop.keras")
reloaded = keras.models.load_model("drop.keras")
print(reloaded.layers[0].rate)
# --8<-- [end:round_trip]
'''

PAGE = '''\
# Drop

```python
--8<-- "snippets/demo/drop.py:layer"
```

```python
--8<-- "snippets/demo/drop.py:round_trip"
```
'''

COMPARED = 'print("same config:", reloaded.get_config() == model.get_config())\n'


def test_c1_a_round_trip_without_config_comparison_is_named(tmp_path):
    site = project(tmp_path, LAYER + ROUND_TRIP, PAGE)
    assert example_checks.config_round_trips(site) == [
        "snippets/demo/drop.py:14: section 'round_trip' reloads with load_model( on line 17 but "
        "prints no comparison of whole configurations; add print(\"same config:\", "
        "reloaded.get_config() == original.get_config())"
    ]


def test_c1_a_round_trip_without_the_setting_is_named(tmp_path):
    module = LAYER + ROUND_TRIP.replace("print(reloaded.layers[0].rate)\n", COMPARED)
    site = project(tmp_path, module, PAGE)
    assert example_checks.config_round_trips(site) == [
        "snippets/demo/drop.py:14: section 'round_trip' reloads with load_model( on line 17 but "
        "prints no setting of the reloaded object; print the one it is about "
        "(e.g. reloaded.layers[1].rate)"
    ]


def test_c1_fixed_round_trip_and_error_demonstration_pass(tmp_path):
    module = LAYER + ROUND_TRIP.replace("print(reloaded.layers[0].rate)\n",
                                        "print(reloaded.layers[0].rate)\n" + COMPARED)
    module += textwrap.dedent('''\

        # --8<-- [start:error]
        try:
            keras.models.load_model("missing.keras")
        except ValueError as error:
            print(type(error).__name__)
        # --8<-- [end:error]
        ''')
    site = project(tmp_path, module, PAGE + '\n```python\n--8<-- "snippets/demo/drop.py:error"\n```\n')
    assert example_checks.config_round_trips(site) == []


def test_c1_only_whole_configurations_count(tmp_path):
    partial = 'print(reloaded.get_config()["rate"] == model.get_config()["rate"])\n'
    whole = 'print(json.dumps(reloaded.get_config()) == json.dumps(model.get_config()))\n'
    module = LAYER + ROUND_TRIP.replace("print(reloaded.layers[0].rate)\n", "print(reloaded.layers[0].rate)\n" + partial)
    site = project(tmp_path, module, PAGE)
    assert [p.split(" but ")[1] for p in example_checks.config_round_trips(site)] == [
        "prints no comparison of whole configurations; add print(\"same config:\", "
        "reloaded.get_config() == original.get_config())"
    ]
    site = project(tmp_path, module.replace(partial, whole), PAGE)
    assert example_checks.config_round_trips(site) == []


def test_c2_default_and_missing_values_are_named(tmp_path):
    module = LAYER + ROUND_TRIP.replace("Drop(rate=0.05)", "Drop(rate=0.1), Drop()")
    site = project(tmp_path, module, PAGE)
    assert example_checks.non_default_values(site) == [
        "snippets/demo/drop.py:14: section 'round_trip': Drop(...) on line 15 passes rate=0.1, "
        "the default; pass a value other than the default",
        "snippets/demo/drop.py:14: section 'round_trip': Drop(...) on line 15 does not pass rate "
        "(serialized by get_config, default 0.1); pass a value other than the default",
    ]


def test_c2_non_default_values_pass(tmp_path):
    module = LAYER + ROUND_TRIP.replace("Drop(rate=0.05)", "Drop(0.05), Drop(rate=half)")
    site = project(tmp_path, "half = 0.05\n" + module, PAGE)
    assert example_checks.non_default_values(site) == []


TABS_MODULE = '''\
# --8<-- [start:ops]
def relu(x):
    return max(x, 0.0)
# --8<-- [end:ops]

# --8<-- [start:tf]
def relu(x):
    return x if x > 0 else 0.0


print(relu(-1.0))
# --8<-- [end:tf]
'''

TABS_PAGE = '''\
# Tabs

=== "keras.ops"

    ```python
    --8<-- "snippets/demo/drop.py:ops"
    ```

=== "tf"

    ```python
    --8<-- "snippets/demo/drop.py:tf"
    ```

    <!--pytest-codeblocks:expected-output-->
    ```text title="Output"
    0.0
    ```
'''


def test_c3_a_tab_without_output_that_is_overwritten_is_named(tmp_path):
    site = project(tmp_path, TABS_MODULE, TABS_PAGE)
    assert example_checks.tabs_exercised(site) == [
        "docs/en/drop.md:3: tab \"keras.ops\" has no Python block followed by its shown output "
        "(<!--pytest-codeblocks:expected-output-->); show what each tab's code prints",
        "docs/en/drop.md:3: tab \"keras.ops\" defines relu (snippets/demo/drop.py:ops) and tab "
        "\"tf\" (line 9) defines it again, but the first tab never uses it after defining it; "
        "use relu in that tab's own block so its output depends on it",
    ]


def test_c3_tabs_that_each_use_and_show_their_code_pass(tmp_path):
    module = TABS_MODULE.replace("    return max(x, 0.0)\n", "    return max(x, 0.0)\n\n\nprint(relu(-1.0))\n")
    page = TABS_PAGE.replace(
        '    --8<-- "snippets/demo/drop.py:ops"\n    ```\n',
        '    --8<-- "snippets/demo/drop.py:ops"\n    ```\n\n'
        '    <!--pytest-codeblocks:expected-output-->\n    ```text title="Output"\n    0.0\n    ```\n',
    )
    site = project(tmp_path, module, page)
    assert example_checks.tabs_exercised(site) == []


@pytest.mark.parametrize("check", [example_checks.config_round_trips, example_checks.non_default_values,
                                   example_checks.tabs_exercised])
def test_sections_no_page_includes_are_not_checked(tmp_path, check):
    site = project(tmp_path, LAYER + ROUND_TRIP.replace("Drop(rate=0.05)", "Drop()"), "# Nothing included\n")
    assert check(site) == []
