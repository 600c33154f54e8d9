"""Load and validate the rule files of jurisdictions/, once per process, and list them."""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from ..datafile import field_problems
from ..errors import RuleFileError
from ..resources import data_path
from .compiled import CompiledRule, compile_rules
from .schema import Rule, RuleFile
from .vocabulary import NOTICE_PREFIX, REGIONS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Regime:
    """One loaded rule file, with its rules grouped by obligation key."""

    source: RuleFile
    path: Path
    countries: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def id(self) -> str:
        return self.source.id

    @cached_property
    def jurisdiction_list(self) -> str:
        """The regime's jurisdictions, comma separated, as the reasons name them."""
        return ", ".join(self.source.jurisdictions)

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def citation(self) -> str:
        return self.source.citation

    @property
    def references(self) -> list[Any]:
        return list(self.source.references)

    @property
    def reviewed(self) -> Any:
        return self.source.reviewed

    @property
    def rules(self) -> list[Rule]:
        return list(self.source.rules)

    @cached_property
    def keys(self) -> list[str]:
        """Obligation keys of this regime, in file order."""
        return list(self._versions)

    def versions(self, key: str) -> list[Rule]:
        """Every version of the rule behind an obligation key, oldest first."""
        return list(self._versions.get(key, ()))

    @cached_property
    def _versions(self) -> dict[str, tuple[Rule, ...]]:
        grouped: dict[str, list[Rule]] = {}
        for rule in self.source.rules:
            grouped.setdefault(f"{self.id}/{rule.key}", []).append(rule)
        return {
            key: tuple(sorted(rules, key=lambda rule: rule.in_force_from))
            for key, rules in grouped.items()
        }

    @cached_property
    def compiled(self) -> dict[str, tuple[CompiledRule, ...]]:
        """The versions of the rule behind each key, oldest first, prepared for evaluation."""
        return compile_rules(self.source)

    def history(self) -> dict[str, list[dict[str, Any]]]:
        """The version history of each rule, for the regimes page."""
        return {
            key: [
                {
                    "version": rule.version,
                    "in_force_from": rule.in_force_from.isoformat(),
                    "in_force_until": rule.in_force_until and rule.in_force_until.isoformat(),
                    "citation": rule.citation,
                    "trigger": rule.trigger,
                    "period": rule.period,
                    "limit": rule.limit,
                    "notes": rule.notes,
                }
                for rule in self.versions(key)
            ]
            for key in self.keys
        }


@dataclass(frozen=True)
class Rulebook:
    """Every regime known to the product, sorted by id."""

    regimes: tuple[Regime, ...]
    directory: Path

    def regime(self, regime_id: str) -> Regime:
        for regime in self.regimes:
            if regime.id == regime_id:
                return regime
        raise KeyError(regime_id)

    @property
    def ids(self) -> list[str]:
        return [regime.id for regime in self.regimes]

    @property
    def keys(self) -> set[str]:
        return set(self.by_key)

    @cached_property
    def by_key(self) -> dict[str, Regime]:
        """The regime of each obligation key."""
        return {key: regime for regime in self.regimes for key in regime.keys}


def load_rulebook(directory: Path | str | None = None) -> Rulebook:
    """Return the rulebook of `directory` (jurisdictions/ by default), loaded once per process."""
    if directory is None:
        return _default_rulebook()
    return _load(Path(directory).resolve())


@cache
def _default_rulebook() -> Rulebook:
    return _load(data_path("jurisdictions").resolve())


@cache
def _load(directory: Path) -> Rulebook:
    paths = sorted(directory.glob("*.toml"))
    regimes = tuple(load_rule_file(path) for path in paths)

    _check_notice_references(regimes)

    logger.info("Loaded %d rule files from %s", len(regimes), directory)
    return Rulebook(regimes=regimes, directory=directory)


def load_rule_file(path: Path) -> Regime:
    """Read, parse and validate one rule file, or raise RuleFileError naming path and field."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(f"{path}: the file is not valid TOML: {exc}.", {"": str(exc)}) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}: the file cannot be read: {exc}.", {"": str(exc)}) from None

    try:
        source = RuleFile.model_validate(document)
    except PydanticValidationError as exc:
        raise _file_error(path, exc) from None

    if source.id != path.stem:
        raise RuleFileError(
            f"{path}: id: the id {source.id!r} must match the file name {path.stem!r}.",
            {"id": f"expected {path.stem!r}"},
        )
    return Regime(source=source, path=path, countries=_countries(source.jurisdictions))


def _file_error(path: Path, exc: PydanticValidationError) -> RuleFileError:
    fields = field_problems(exc, "docs/rules-format.md")
    location, problem = next(iter(fields.items()))
    return RuleFileError(f"{path}: {location or 'file'}: {problem}.", fields)


def _countries(jurisdictions: list[str]) -> frozenset[str]:
    codes: set[str] = set()
    for code in jurisdictions:
        codes.update(REGIONS.get(code, (code,)))
    return frozenset(codes)


def _check_notice_references(regimes: tuple[Regime, ...]) -> None:
    known = {key for regime in regimes for key in regime.keys}
    for regime in regimes:
        for index, rule in enumerate(regime.source.rules):
            triggers = [rule.trigger] + [choice.trigger for choice in rule.earliest_of]
            for trigger in triggers:
                wanted = (trigger or "").removeprefix(NOTICE_PREFIX)
                if trigger and trigger.startswith(NOTICE_PREFIX) and wanted not in known:
                    raise RuleFileError(
                        f"{regime.path}: rules[{index}].trigger: {trigger!r} names an obligation "
                        f"that no rule file defines.",
                        {f"rules[{index}].trigger": "unknown obligation key"},
                    )
