"""What the command line says about itself, in French: help pages and usage errors.

Built from the commands' declarations (Typer's ArgumentInfo/OptionInfo defaults and the type
hints), not from Typer's or click's own texts, which are English.
"""

from __future__ import annotations

import inspect
import typing
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

HELP_OPTIONS = ("--help", "-h", "--aide")
HELP_LINE = ("-h, --help", "Affiche cette aide et quitte.")


@dataclass(frozen=True)
class Param:
    name: str  # the Python parameter
    option: str  # "--out", or "" for an argument
    metavar: str
    help: str
    required: bool
    default: object
    kind: type


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    params: tuple[Param, ...]

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def usage(self, prog: str) -> str:
        parts = [prog, self.name]
        for p in self.params:
            shown = p.metavar if not p.option else f"{p.option} {p.metavar}"
            parts.append(shown if p.required else f"[{shown}]")
        return " ".join(parts)


def _first_line(text: str | None) -> str:
    return (inspect.cleandoc(text or "").split("\n\n")[0]).replace("\n", " ")


def _command(name: str, callback) -> Command:
    from typer.models import OptionInfo

    hints = typing.get_type_hints(callback)
    params = []
    for pname, parameter in inspect.signature(callback).parameters.items():
        info = parameter.default
        kind = hints.get(pname, str)
        if typing.get_origin(kind) is typing.Union:
            kind = next(a for a in typing.get_args(kind) if a is not type(None))
        is_option = isinstance(info, OptionInfo)
        decls = [d for d in (getattr(info, "param_decls", None) or ()) if d.startswith("--")]
        option = (decls[0] if decls else "--" + pname.replace("_", "-")) if is_option else ""
        default = getattr(info, "default", None)
        params.append(Param(pname, option, getattr(info, "metavar", None) or pname.upper(), getattr(info, "help", "") or "",
                            default is ..., default, kind))
    return Command(name, _first_line(callback.__doc__), tuple(params))


def commands(app) -> dict[str, Command]:
    out = {}
    for info in app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        out[name] = _command(name, info.callback)
    return out


def _table(rows: list[tuple[str, str]]) -> list[str]:
    width = max(len(left) for left, _ in rows) + 3
    return [f"  {left:<{width}}{right}" for left, right in rows]


def _default_text(p: Param) -> str:
    if p.required:
        return "  [obligatoire]"
    if p.default is None:
        return ""
    value = p.default.value if isinstance(p.default, Enum) else p.default
    return f"  [par défaut : {value}]"


def app_help(prog: str, text: str, cmds: dict[str, Command]) -> str:
    lines = [f"Usage : {prog} COMMANDE [OPTIONS]", "", text, "", "Commandes :"]
    lines += _table([(name, c.help) for name, c in cmds.items()])
    lines += ["", "Options :"] + _table([HELP_LINE])
    lines += ["", f"Aide d'une commande : {prog} COMMANDE --help"]
    return "\n".join(lines)


def command_help(prog: str, c: Command) -> str:
    lines = [f"Usage : {c.usage(prog)}", "", c.help]
    arguments = [(p.metavar, p.help + _default_text(p)) for p in c.params if not p.option]
    options = [(f"{p.option} {p.metavar}", p.help + _default_text(p)) for p in c.params if p.option]
    if arguments:
        lines += ["", "Arguments :"] + _table(arguments)
    lines += ["", "Options :"] + _table(options + [HELP_LINE])
    return "\n".join(lines)


def unknown_command(prog: str, name: str, cmds: dict[str, Command]) -> str:
    return "\n".join([
        f"Erreur : la commande « {name} » n'existe pas. Commandes : {', '.join(cmds)}.",
        f"Aide : {prog} --help",
    ])


def is_usage_error(exc: BaseException) -> bool:
    return any(k.__name__ == "UsageError" for k in type(exc).__mro__)


def _expected(p: Param) -> str:
    if isinstance(p.kind, type) and issubclass(p.kind, Enum):
        return " ou ".join(m.value for m in p.kind)
    if p.kind is int:
        return "un nombre entier"
    if p.kind is float:
        return "un nombre"
    if p.kind is Path:
        return "un chemin de fichier"
    return "une valeur"


def _given(argv: list[str], p: Param) -> str | None:
    for i, a in enumerate(argv):
        if p.option and a == p.option and i + 1 < len(argv):
            return argv[i + 1]
        if p.option and a.startswith(p.option + "="):
            return a.split("=", 1)[1]
    return None


def usage_error(prog: str, c: Command, exc: BaseException, argv: list[str]) -> str:
    """The French sentence of a Typer/click usage error, from its structured fields only."""
    names = {k.__name__ for k in type(exc).__mro__}
    param = getattr(exc, "param", None)
    p = c.param(getattr(param, "name", None) or "") if param is not None else None
    if "MissingParameter" in names and p is not None:
        what = f"l'option {p.option} {p.metavar}" if p.option else f"l'argument {p.metavar}"
        sentence = f"il manque {what}."
    elif "NoSuchOption" in names:
        sentence = f"l'option « {getattr(exc, 'option_name', '?')} » n'existe pas pour « {c.name} »."
    elif "BadParameter" in names and p is not None:
        given = _given(argv, p)
        where = p.option or p.metavar
        sentence = (f"« {given} » ne convient pas pour {where} (attendu : {_expected(p)})." if given is not None
                    else f"valeur invalide pour {where} (attendu : {_expected(p)}).")
    elif "BadOptionUsage" in names:
        sentence = f"l'option « {getattr(exc, 'option_name', '?')} » attend une valeur."
    else:
        sentence = "arguments en trop ou mal placés."
    return "\n".join([f"Erreur : {sentence}", f"Usage : {c.usage(prog)}", f"Aide : {prog} {c.name} --help"])
