"""The fixed part of the world: Kela and the 22 organisers, their units and staff.

Organiser codes and names come from the shipped municipality classification; each
organiser gets three to six units by size, and Kela gets benefit teams per customer
service area (several basic social assistance teams in the big areas). Every unit has an
expected share of the cases on its side of the exchange, which drives both the skew of
the generated cases and how many staff the unit has.
"""

from __future__ import annotations

import csv
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.generation import data

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "src" / "silta" / "reference" / "data"
KELA_STAFF_SHARE = 0.4
MIN_STAFF_PER_UNIT = 3


@dataclass
class UnitSpec:
    id: int
    organisation_id: int
    kind: str
    name_fi: str
    name_sv: str
    is_kela: bool
    share: float  # expected share of all cases, on this unit's side
    members: list[tuple[int, str]] = field(default_factory=list)  # (user id, display name)


@dataclass
class Organiser:
    code: str
    organisation_id: int
    name_fi: str
    name_sv: str
    population_share: float
    area: str
    municipalities: list[str]
    units: list[UnitSpec] = field(default_factory=list)


@dataclass
class World:
    kela_organisation_id: int
    organisers: list[Organiser]
    kela_units_by_area: dict[str, list[UnitSpec]]
    units: list[UnitSpec]
    users: list[tuple[int, str, str, str, str]]  # id, username, first, last, title
    memberships: list[tuple[int, int, int, str]]  # id, user id, unit id, role

    def unit(self, unit_id: int) -> UnitSpec:
        return self.units[unit_id - 1]


def _read_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _organisers() -> list[Organiser]:
    municipalities = _read_csv("municipalities_2025.csv")
    areas = {
        r["municipality_code"]: r["kela_service_area_code"]
        for r in _read_csv("kela_service_areas_2026.csv")
    }
    by_code: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in municipalities:
        if row["is_aland"] != "true":  # Åland's social assistance is not routed here
            by_code[row["wellbeing_county_code"]].append(row)
    total = sum(data.ORGANISER_POPULATION_K[code] for code in by_code)
    organisers = []
    for number, code in enumerate(sorted(by_code), start=2):
        rows = by_code[code]
        area_votes = Counter(areas.get(r["municipality_code"], "1") for r in rows)
        organisers.append(
            Organiser(
                code=code,
                organisation_id=number,
                name_fi=rows[0]["wellbeing_county_name_fi"],
                name_sv=rows[0]["wellbeing_county_name_sv"],
                population_share=data.ORGANISER_POPULATION_K[code] / total,
                area=area_votes.most_common(1)[0][0],
                municipalities=[r["municipality_code"] for r in rows],
            )
        )
    return organisers


def _social_kinds(population_k: int) -> list[tuple[str, str, str, float]]:
    """Three to six units: bigger organisers have more kinds and split adult social work."""
    kinds = [
        k
        for k in data.SOCIAL_UNIT_KINDS
        if k[0] in ("social_assistance", "adult_social_work", "child_and_family")
    ]
    if population_k >= 150:
        kinds.append(data.SOCIAL_UNIT_KINDS[3])
    if population_k >= 250:
        kinds.append(data.SOCIAL_UNIT_KINDS[4])
    if population_k >= 450:
        adult = data.SOCIAL_UNIT_KINDS[1]
        kinds.remove(adult)
        kinds += [
            (adult[0], f"{adult[1]}, alue {n}", f"{adult[2]}, område {n}", adult[3] / 2)
            for n in (1, 2)
        ]
    return kinds


def _add_social_units(organisers: list[Organiser], units: list[UnitSpec]) -> None:
    for organiser in organisers:
        kinds = _social_kinds(data.ORGANISER_POPULATION_K[organiser.code])
        weight_sum = sum(k[3] for k in kinds)
        for kind, name_fi, name_sv, weight in kinds:
            unit = UnitSpec(
                id=len(units) + 1,
                organisation_id=organiser.organisation_id,
                kind=kind,
                name_fi=f"{name_fi}, {organiser.name_fi}",
                name_sv=f"{name_sv}, {organiser.name_sv}",
                is_kela=False,
                share=organiser.population_share * weight / weight_sum,
            )
            units.append(unit)
            organiser.units.append(unit)


def _add_kela_units(
    organisers: list[Organiser], units: list[UnitSpec]
) -> dict[str, list[UnitSpec]]:
    area_share: dict[str, float] = defaultdict(float)
    for organiser in organisers:
        area_share[organiser.area] += organiser.population_share
    population_m = sum(data.ORGANISER_POPULATION_K.values()) / 1000
    by_area: dict[str, list[UnitSpec]] = {}
    for area, (area_fi, area_sv) in data.KELA_AREAS.items():
        by_area[area] = []
        for key, benefit_fi, benefit_sv, weight in data.KELA_BENEFITS:
            teams = 1
            if key == "ttt":
                teams = max(
                    1,
                    round(area_share[area] * population_m * data.TOIMEENTULOTUKI_TEAMS_PER_MILLION),
                )
            kind = "kela_service_unit" if key == "asiakaspalvelu" else "kela_benefit_team"
            for n in range(1, teams + 1):
                suffix = f" {n}" if teams > 1 else ""
                unit = UnitSpec(
                    id=len(units) + 1,
                    organisation_id=1,
                    kind=kind,
                    name_fi=f"Kela, {area_fi} ratkaisutiimi, {benefit_fi}{suffix}",
                    name_sv=f"FPA, {area_sv} avgörandeteamet, {benefit_sv}{suffix}",
                    is_kela=True,
                    share=area_share[area] * weight / teams,
                )
                units.append(unit)
                by_area[area].append(unit)
    return by_area


def _staff_counts(units: list[UnitSpec], total: int) -> dict[int, int]:
    """Staff per unit, proportional to its share on its side, at least three each."""
    counts: dict[int, int] = {}
    for is_kela, side_share in ((True, KELA_STAFF_SHARE), (False, 1 - KELA_STAFF_SHARE)):
        side = [u for u in units if u.is_kela == is_kela]
        side_total = sum(u.share for u in side)
        for unit in side:
            wanted = round(total * side_share * unit.share / side_total)
            counts[unit.id] = max(MIN_STAFF_PER_UNIT, wanted)
    biggest = sorted(units, key=lambda u: -u.share)
    step = 0
    while sum(counts.values()) != total and step < 100_000:
        unit = biggest[step % len(biggest)]
        if sum(counts.values()) < total:
            counts[unit.id] += 1
        elif counts[unit.id] > MIN_STAFF_PER_UNIT:
            counts[unit.id] -= 1
        step += 1
    return counts


def _role(unit: UnitSpec, index: int) -> str:
    if index == 0 or index % 40 == 39:
        return "unit_manager"
    if unit.kind == "kela_benefit_team":
        return "kela_benefit_processor"
    if unit.kind == "kela_service_unit":
        return "kela_service_advisor"
    if unit.kind == "social_assistance":
        return "social_assistance_processor"
    return "social_worker" if index % 5 < 3 else "social_counsellor"


def _add_staff(world: World, total: int, rng: random.Random) -> None:
    counts = _staff_counts(world.units, total)
    for unit in world.units:
        for index in range(counts[unit.id]):
            user_id = len(world.users) + 1
            first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
            role = _role(unit, index)
            titles = data.KELA_TITLES if unit.is_kela else data.SOCIAL_TITLES
            title = titles.get(role, data.DEFAULT_KELA_TITLE)
            world.users.append((user_id, f"bench{user_id:05d}", first, last, title))
            world.memberships.append((user_id, user_id, unit.id, role))
            unit.members.append((user_id, f"{first} {last}"))


def build_world(staff: int, rng: random.Random) -> World:
    organisers = _organisers()
    units: list[UnitSpec] = []
    _add_social_units(organisers, units)
    kela_by_area = _add_kela_units(organisers, units)
    world = World(
        kela_organisation_id=1,
        organisers=organisers,
        kela_units_by_area=kela_by_area,
        units=units,
        users=[],
        memberships=[],
    )
    _add_staff(world, max(staff, MIN_STAFF_PER_UNIT * len(units)), rng)
    return world
