"""A run's options are declared once (flows/options.py): the CLI's flags are built from
that declaration, and the flow's signature and docstring, which Prefect reads from the
source for the UI's form, say exactly the same; so do prefect.yaml's parameters."""

from __future__ import annotations

import inspect
import types
import typing

import yaml
from prefect.utilities.callables import (
    parameter_docstrings,
    parameter_schema_from_entrypoint,
)

from newsclean.flows.clean_pages import clean_pages
from newsclean.flows.cli import build_parser
from newsclean.flows.options import NAMES, RUN_OPTIONS
from tests.conftest import REPO

ENTRYPOINT = "newsclean.flows.clean_pages.clean_pages"  # module form: read from source


def _words(text: str) -> str:
    return " ".join(text.split())


def _base(annotation) -> type:
    """list[str] -> list, int | None -> int, Annotated[float, ...] -> float."""
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        (annotation,) = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _base(annotation)
    return typing.get_origin(annotation) or annotation


def test_the_flows_parameters_are_the_declared_options_in_order_with_their_defaults():
    signature = inspect.signature(clean_pages.fn)
    assert tuple(signature.parameters) == NAMES
    hints = typing.get_type_hints(clean_pages.fn, include_extras=True)
    for option in RUN_OPTIONS:
        param = signature.parameters[option.name]
        if option.required:
            assert param.default is inspect.Parameter.empty, option.name
        else:
            assert param.default == option.default, option.name
        assert _base(hints[option.name]) is option.kind, option.name


def test_the_forms_descriptions_are_the_declared_help():
    docs = parameter_docstrings(inspect.getdoc(clean_pages.fn))
    assert set(docs) == set(NAMES)
    for option in RUN_OPTIONS:
        assert _words(docs[option.name]) == _words(option.help), option.name


def test_prefect_deploy_reads_the_same_form_from_the_source():
    # what `prefect deploy` builds the UI's form from: the source text, not the module
    schema = parameter_schema_from_entrypoint(ENTRYPOINT).model_dump()
    assert list(schema["properties"]) == list(NAMES)
    assert schema["required"] == [o.name for o in RUN_OPTIONS if o.required]
    for option in RUN_OPTIONS:
        field = schema["properties"][option.name]
        assert _words(field["description"]) == _words(option.help), option.name
        if option.default is not None:
            assert field["default"] == option.default, option.name


def test_the_cli_has_a_flag_for_each_option_with_its_default():
    parser = build_parser()
    args = parser.parse_args(["run", "-i", "in", "-o", "out"])
    for option in RUN_OPTIONS:
        expected = {"inputs": ["in"], "output": "out"}.get(option.name, option.default)
        assert getattr(args, option.name) == expected, option.name
    (run,) = [a for a in parser._subparsers._group_actions[0].choices.values()][:1]
    flags = {a.dest: tuple(a.option_strings) for a in run._actions}
    for option in RUN_OPTIONS:
        assert flags[option.name] == option.flags, option.name
        help_text = next(a.help for a in run._actions if a.dest == option.name)
        assert help_text.startswith(_words(option.help)), option.name


def test_prefect_yaml_sets_only_declared_options_with_their_types():
    deployments = yaml.safe_load((REPO / "prefect.yaml").read_text())["deployments"]
    assert deployments
    kinds = {o.name: o.kind for o in RUN_OPTIONS}
    runs = [d for d in deployments if d["entrypoint"].endswith(":clean_pages")]
    assert len(runs) == 3
    for deployment in runs:
        for name, value in deployment.get("parameters", {}).items():
            assert name in kinds, (deployment["name"], name)
            assert isinstance(value, kinds[name]), (deployment["name"], name)
