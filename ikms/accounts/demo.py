"""Demo accounts, one per role (plus a second founder so scoping can be seen). The founder and head accounts
need the register, so `ikms.registry.demo.create_scoped_accounts` creates them (ADR 0018)."""

from dataclasses import dataclass

from ikms.accounts import services
from ikms.accounts.models import User
from ikms.accounts.roles import Role

DEMO_PASSWORD = "ikms-demo-2024"  # noqa: S105 — printed by `make demo`; demo databases only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    first_name: str
    last_name: str
    scope: str = ""  # "founder:<municipality code>" or "institution:<founder municipality code>"


STAFF_ACCOUNTS = [
    DemoAccount("admins", Role.IKVD_ADMIN, "Agnese", "Administratore"),
    DemoAccount("registrs", Role.REGISTRY_OFFICER, "Rita", "Reģistre"),
    DemoAccount("kvalitate", Role.QUALITY_EXPERT, "Kaspars", "Kvalitātis"),
    DemoAccount("inspektors", Role.SUPERVISION_INSPECTOR, "Ivo", "Inspektors"),
    DemoAccount("analitikis", Role.ANALYST, "Anda", "Analītiķe"),
    DemoAccount("eksperts", Role.ACCREDITATION_EXPERT, "Elīna", "Eksperte"),
]
SCOPED_ACCOUNTS = [
    DemoAccount("dibinatajs-riga", Role.FOUNDER, "Dace", "Dibinātāja", "founder:LV-RIX"),
    DemoAccount("dibinatajs-ogre", Role.FOUNDER, "Oskars", "Ogrenieks", "founder:LV-067"),
    DemoAccount("vaditajs", Role.INSTITUTION_HEAD, "Vita", "Vadītāja", "institution:LV-RIX"),
]


def create_staff(*, password: str = DEMO_PASSWORD) -> dict[str, User]:
    """IKVD staff accounts (they take the register decisions of the demo)."""
    users = {}
    for acc in STAFF_ACCOUNTS:
        user = services.user_create(actor=None, username=acc.username, password=password,
                                    first_name=acc.first_name, last_name=acc.last_name,
                                    email=f"{acc.username}@ikvd.example", is_staff=acc.role == Role.IKVD_ADMIN)
        services.role_grant(actor=None, user=user, role=acc.role, note="demo")
        users[acc.username] = user
    return users


def all_accounts() -> list[DemoAccount]:
    return STAFF_ACCOUNTS + SCOPED_ACCOUNTS
