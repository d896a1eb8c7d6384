"""The password hasher (ADR 0020): Argon2id with OWASP's recommended minimum, 19 MiB of memory, 2 passes, 1 lane.

Django's own Argon2 hasher asks for 100 MiB and 8 lanes per hash; ours costs about a tenth of the CPU time of
Django's PBKDF2 (1,000,000 iterations of SHA-256), so 25 staff signing in at once no longer queue for seconds on
a small server, while a guess still costs an attacker 19 MiB of memory, which is what slows cracking on graphics
cards. The algorithm name stays "argon2": the hashes are standard ($argon2id$v=19$m=19456,t=2,p=1$…), and a hash
with other parameters (Django's defaults, or ours changed later) is verified and rehashed at the next sign-in,
as is every older PBKDF2 hash (`PASSWORD_HASHERS` keeps the PBKDF2 hashers after this one)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id, m = 19 MiB, t = 2, p = 1 (OWASP Password Storage Cheat Sheet, 2023 and later)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
