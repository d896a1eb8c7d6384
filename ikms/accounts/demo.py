"""Demo accounts, one per role (plus a second founder so scoping can be seen, and a quality expert with an
authenticator app to show the second factor). The founder and head accounts need the register, so
`ikms.registry.demo.create_scoped_accounts` creates them (ADR 0018)."""

import base64
import datetime
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ikms.accounts import services
from ikms.accounts.models import RoleAssignment, User
from ikms.accounts.roles import Role

DEMO_PASSWORD = "ikms-demo-2024"  # noqa: S105 — printed by `make demo`; demo databases only
#: The demo account with an authenticator app (ADR 0019). Its key and recovery codes are published (README,
#: `demo_accounts`), like the password: demo databases only. Any authenticator app takes the key (base32).
TWO_FACTOR_USERNAME = "kvalitate-2fa"
TWO_FACTOR_SECRET = "IKMS DEMO TOTP KEY2 IKMS DEMO TOTP KEY2"  # noqa: S105 — 20 bytes in base32
TWO_FACTOR_RECOVERY_CODES = ("demoa-kodsa", "demob-kodsb", "democ-kodsc", "demod-kodsd", "demoe-kodse")


#: Cabinet Regulation No. 414 of 3 September 2019, under which the Person Assessment Commission works.
COMMISSION_SINCE = datetime.date(2019, 9, 3)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    first_name: str
    last_name: str
    scope: str = ""  # "founder:<municipality code>" or "institution:<founder municipality code>"
    since: datetime.date | None = None  # the role held from this day (default: today)


STAFF_ACCOUNTS = [
    DemoAccount("admins", Role.IKVD_ADMIN, "Agnese", "Administratore"),
    DemoAccount("registrs", Role.REGISTRY_OFFICER, "Rita", "Reģistre"),
    DemoAccount("kvalitate", Role.QUALITY_EXPERT, "Kaspars", "Kvalitātis"),
    DemoAccount("inspektors", Role.SUPERVISION_INSPECTOR, "Ivo", "Inspektors"),
    DemoAccount("analitikis", Role.ANALYST, "Anda", "Analītiķe"),
    DemoAccount("eksperts", Role.ACCREDITATION_EXPERT, "Elīna", "Eksperte"),
    DemoAccount(TWO_FACTOR_USERNAME, Role.QUALITY_EXPERT, "Laura", "Divfaktore"),
    # the spent-conviction commission (since its regulation, so the demo's past meetings have their members) and
    # IKVD's data protection officer, who reads the log of reads of the commission's records
    DemoAccount("komisija", Role.CONVICTION_COMMISSION, "Kārlis", "Komisārs", since=COMMISSION_SINCE),
    DemoAccount("sekretare", Role.CONVICTION_SECRETARY, "Sandra", "Sekretāre", since=COMMISSION_SINCE),
    DemoAccount("datu-aizsardziba", Role.DATA_PROTECTION_OFFICER, "Dina", "Dārziņa"),
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
        services.role_grant(actor=None, user=user, role=acc.role, valid_from=acc.since, note="demo")
        users[acc.username] = user
    ensure_two_factor_account(password=password)
    return users


def two_factor_key_hex() -> str:
    """The demo key as django-otp stores it (hexadecimal)."""
    return base64.b32decode(TWO_FACTOR_SECRET.replace(" ", "")).hex()


def _is_demo_database() -> bool:
    """The demo's staff accounts are there (generate_demo ran): never give a real database a published key."""
    return RoleAssignment.objects.filter(user__username=STAFF_ACCOUNTS[0].username, note="demo").exists()


@transaction.atomic
def ensure_two_factor_account(*, password: str = DEMO_PASSWORD) -> User | None:
    """On a demo database, make sure the two-factor demo account exists with its role, its authenticator app has
    the published key and its recovery codes are the published ones (a used code is given back); each `make demo`
    runs this (through `demo_accounts`), so it changes nothing when all is in place. None, and nothing written, on
    a database without the demo accounts."""
    if not _is_demo_database():
        return None
    acc = next(a for a in STAFF_ACCOUNTS if a.username == TWO_FACTOR_USERNAME)
    user = User.objects.filter(username=acc.username).first()
    if user is None:
        user = services.user_create(actor=None, username=acc.username, password=password,
                                    first_name=acc.first_name, last_name=acc.last_name,
                                    email=f"{acc.username}@ikvd.example")
        services.role_grant(actor=None, user=user, role=acc.role, note="demo")
    devices = list(TOTPDevice.objects.filter(user=user))
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    wanted = {services.recovery_code_digest(code) for code in TWO_FACTOR_RECOVERY_CODES}
    in_place = (len(devices) == 1 and devices[0].confirmed and devices[0].key == two_factor_key_hex()
                and stored == wanted)
    if not in_place:
        services.second_factor_install(actor=None, user=user, key_hex=two_factor_key_hex(),
                                       recovery_codes=list(TWO_FACTOR_RECOVERY_CODES))
    return user


def all_accounts() -> list[DemoAccount]:
    return STAFF_ACCOUNTS + SCOPED_ACCOUNTS
