"""The data set of a large sponsor's portal: `manage.py seed_scale --size
tiny|small|large` into an empty migrated database.

This app's part: organizations (sponsors, CDMOs) with their verified domains and sites,
partnerships, people with one password hash (`lockstep-demo`, computed once), their seats,
each partnership's escalation path (leads, QA leads, steering committee), and programs with
the sites they run at. Then, by name (partnership imports no later app),
seed_scale_governance (meetings, actions, requests, quality, comments, notifications), which
chains seed_scale_metrics (KPIs). Finally each loaded row's audit-trail event
(partnership.scale), statistics, and the manifest the benchmark reads
(var/scale/<size>.json). partnership.scale says how it stays deterministic and fast.

The shape, at every size: one sponsor (sponsor01) with 10 % of the partnerships; one CDMO
(cdmo001) in a partnership with every sponsor; sponsor01's lead1 leads all of sponsor01's
partnerships and owns half of their actions (thousands open at `large`); the partnership of
those two (the heavy one) carries many times the records of any other.

People are named predictably: `<handle>@sponsorNN.example` / `<handle>@cdmoNNN.example`,
handle `admin` (organization admin), `leadN`, `qaN` (QA leads), `steerN` (steering),
`memberN`, `viewerN`.
"""

import datetime
import math
import time

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from partnership import scale
from partnership.communication.models import EscalationLevel
from partnership.contracts.models import Program
from partnership.parties.models import (
    Membership,
    Organization,
    OrganizationDomain,
    Partnership,
    Site,
    User,
)

SYLLABLES_A = ["Astra", "Bel", "Cor", "Dela", "Evo", "Fen", "Gala", "Hal", "Ira", "Jun",
               "Kel", "Lum", "Mira", "Nor", "Ory", "Pax", "Quel", "Rho", "Sol", "Tara"]
SYLLABLES_B = ["vant", "gen", "thera", "bio", "mede", "nova", "cyte", "phar", "leon",
               "stra"]
SPONSOR_KINDS = ["Biologics", "Therapeutics", "Pharmaceuticals"]
CDMO_KINDS = ["Biomanufacturing", "Analytical Labs", "Pharma Services", "Biosolutions"]
FIRST = ["Ada", "Ben", "Chloe", "Dev", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas",
         "Kira", "Liam", "Maya", "Nils", "Olga", "Pedro", "Rosa", "Sami", "Tess", "Umar",
         "Vera", "Wen", "Yara", "Zoe", "Arun", "Bea", "Carlos", "Dana", "Emil", "Femi"]
LAST = ["Abbott", "Brandt", "Castro", "Dahl", "Eze", "Fischer", "Garcia", "Holm", "Ito",
        "Jensen", "Kaur", "Laine", "Moreno", "Novak", "Osei", "Park", "Quinn", "Rossi",
        "Silva", "Tan", "Ueda", "Varga", "Weber", "Xu", "Young", "Zeller"]
PLACES = [("United States", "Boston", "America/New_York"),
          ("United States", "San Diego", "America/Los_Angeles"),
          ("United Kingdom", "Cambridge", "Europe/London"),
          ("Ireland", "Cork", "Europe/Dublin"),
          ("Switzerland", "Basel", "Europe/Zurich"),
          ("Germany", "Marburg", "Europe/Berlin"),
          ("Italy", "Milan", "Europe/Rome"),
          ("Belgium", "Ghent", "Europe/Brussels"),
          ("China", "Suzhou", "Asia/Shanghai"),
          ("Singapore", "Tuas", "Asia/Singapore"),
          ("South Korea", "Incheon", "Asia/Seoul"),
          ("India", "Hyderabad", "Asia/Kolkata"),
          ("Japan", "Kobe", "Asia/Tokyo"),
          ("South Africa", "Cape Town", "Africa/Johannesburg")]
ESCALATION = [("Project leads", "lead", 5), ("Quality leads", "qa_lead", 10),
              ("Steering committee", "steering", 20)]
CAPABILITIES = [c for c, _label in Site.Capability.choices]
TITLES = {"admin": "Head of external partnerships", "lead": "Alliance manager",
          "qa": "External quality lead", "steer": "Vice president, operations",
          "member": "Project specialist", "viewer": "Finance business partner"}
MODALITIES = [c for c, _label in Program.Modality.choices] if hasattr(Program, "Modality") \
    else ["biologic"]
PHASES = [c for c, _label in Program.Phase.choices] if hasattr(Program, "Phase") \
    else ["phase_1"]


def org_name(index: int, kind: str) -> str:
    word = SYLLABLES_A[index % 20] + SYLLABLES_B[(index // 20) % 10]
    kinds = SPONSOR_KINDS if kind == "sponsor" else CDMO_KINDS
    return f"{word} {kinds[index % len(kinds)]}"


class Command(BaseCommand):
    help = "Build the scale data set into an empty migrated database."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(scale.SIZES), default="small")

    def handle(self, *args, size, **options):
        if Partnership.objects.exists():
            raise CommandError("This database already holds partnerships: seed_scale builds "
                               "into an empty migrated database only (createdb, migrate).")
        self.size, self.counts = size, scale.SIZES[size]
        started = time.monotonic()
        timer = scale.Timer(self.stdout)
        self.stdout.write(f"Building the {size} data set (today {scale.today()}):")
        loader = scale.Loader()
        with transaction.atomic():
            scale.history_triggers(enabled=False)
            with timer.part("organizations, sites, people, seats"):
                self.parties(loader)
                loader.flush()
            call_command("seed_scale_governance", size=size, loader=loader, timer=timer,
                         stdout=self.stdout)
            with timer.part("audit trail: insert events"):
                events = scale.insert_events(loader)
            with timer.part("foreign-key checks, triggers back on"):
                if scale.history_triggers(enabled=True):
                    scale.check_foreign_keys(loader)
        with timer.part("analyze"):
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        manifest = self.manifest(loader, events)
        manifest["seconds"] = round(time.monotonic() - started, 1)
        manifest["parts"] = {name: round(took, 1) for name, took in timer.parts}
        path = scale.write_manifest(size, manifest)
        for key in ("portfolio_sponsor", "portfolio_lead", "most_seated_cdmo", "heavy_lead",
                    "heavy_partnership", "qa_lead", "steering_member", "org_admin"):
            self.stdout.write(f"  {key:<20} {manifest[key]}")
        self.stdout.write(self.style.SUCCESS(
            f"The {size} data set is ready in {manifest['seconds']} s "
            f"({sum(manifest['rows'].values()):,} rows, {events:,} history events; "
            f"password {scale.PASSWORD}); manifest {path}."))

    # --- parties -------------------------------------------------------------------------

    def parties(self, loader: scale.Loader) -> None:
        r = scale.rng("parties")
        c = self.counts
        start = scale.anchor() - datetime.timedelta(days=365 * scale.YEARS + 30)
        orgs = []  # (id, kind, index, domain)
        for kind, count in (("sponsor", c["sponsors"]), ("cdmo", c["cdmos"])):
            for i in range(count):
                domain = f"sponsor{i + 1:02d}.example" if kind == "sponsor" else \
                    f"cdmo{i + 1:03d}.example"
                pk = loader[Organization].add(
                    name=org_name(i if kind == "sponsor" else i + c["sponsors"], kind),
                    kind=kind, created_at=start)
                loader[OrganizationDomain].add(organization_id=pk, domain=domain,
                                               added_at=start)
                orgs.append((pk, kind, i, domain))
        sponsors = [o for o in orgs if o[1] == "sponsor"]
        cdmos = [o for o in orgs if o[1] == "cdmo"]
        # Sites: every CDMO has one; the rest go mostly to the CDMOs seated most.
        site_counts = [1] * len(cdmos)
        for _ in range(c["sites"] - len(cdmos)):
            site_counts[min(int(r.paretovariate(1.2)) - 1, len(cdmos) - 1)
                        if r.random() < 0.3 else r.randrange(len(cdmos))] += 1
        self.sites: dict[int, list[int]] = {}
        for (org_id, _kind, i, _domain), n in zip(cdmos, site_counts, strict=True):
            for k in range(n):
                country, city, zone = PLACES[(i + k * 5) % len(PLACES)]
                self.sites.setdefault(org_id, []).append(loader[Site].add(
                    organization_id=org_id, name=f"{city} plant {k + 1}", country=country,
                    city=city, time_zone=zone, is_main=k == 0,
                    capabilities=r.sample(CAPABILITIES, r.randint(1, 3))))
        pairs = self._pairs(r, sponsors, cdmos)
        # People: a base per organization, members in proportion to its partnerships.
        sides: dict[int, list[int]] = {}  # org id -> its partnerships' indexes
        for index, (sponsor, cdmo) in enumerate(pairs):
            sides.setdefault(sponsor[0], []).append(index)
            sides.setdefault(cdmo[0], []).append(index)
        shape = {}
        for org_id, *_rest in orgs:
            k = len(sides.get(org_id, []))
            shape[org_id] = {"lead": max(1, math.ceil(k / 6)), "qa": max(1, math.ceil(k / 8)),
                             "steer": max(1, math.ceil(k / 10)),
                             "viewer": max(1, math.ceil(k / 10))}
        base = sum(1 + sum(s.values()) for s in shape.values())
        members = scale.spread(max(c["users"] - base, len(orgs)),
                               [1 + len(sides.get(o[0], [])) for o in orgs])
        password = make_password(scale.PASSWORD)  # once: Argon2 per person takes minutes
        people: dict[int, dict[str, list[int]]] = {}
        for (org_id, _kind, _i, domain), extra in zip(orgs, members, strict=True):
            handles = [("admin", None)] + [
                (role, n + 1) for role in ("lead", "qa", "steer", "viewer")
                for n in range(shape[org_id][role])] + [
                ("member", n + 1) for n in range(extra)]
            for role, n in handles:
                handle = role if n is None else f"{role}{n}"
                first = FIRST[r.randrange(len(FIRST))]
                last = LAST[r.randrange(len(LAST))]
                pk = loader[User].add(
                    password=password, email=f"{handle}@{domain}", first_name=first,
                    last_name=last, organization_id=org_id, is_org_admin=role == "admin",
                    job_title=TITLES[role], time_zone=PLACES[r.randrange(len(PLACES))][2],
                    date_joined=start)
                people.setdefault(org_id, {}).setdefault(role, []).append(pk)
        # Partnerships and seats: each side seats a lead, a QA lead, a steering member, a
        # viewer and three members (sponsor01's lead1 leads all of sponsor01's).
        for index, (sponsor, cdmo) in enumerate(pairs):
            created = start + datetime.timedelta(days=r.randrange(0, 20))
            emergency = r.choice([2, 4, 8])
            pk = loader[Partnership].add(
                sponsor_id=sponsor[0], cdmo_id=cdmo[0], created_at=created,
                description=f"Development and supply partnership {index + 1}.",
                acknowledgement_hours=r.choice([24, 48, 72]),
                emergency_acknowledgement_hours=emergency)
            path = {}  # role -> both parties' people seated in it
            for org_id in (sponsor[0], cdmo[0]):
                staff = people[org_id]
                position = sides[org_id].index(index)
                seated = {
                    "lead": staff["lead"][0 if org_id == sponsors[0][0] and
                                          sponsor[0] == org_id
                                          else position % len(staff["lead"])],
                    "qa_lead": staff["qa"][position % len(staff["qa"])],
                    "steering": staff["steer"][position % len(staff["steer"])],
                    "viewer": staff["viewer"][position % len(staff["viewer"])],
                }
                for role, user_id in seated.items():
                    loader[Membership].add(partnership_id=pk, user_id=user_id, role=role,
                                           created_at=created)
                    path.setdefault(role, []).append(user_id)
                pool = staff.get("member", [])
                for user_id in r.sample(pool, min(3, len(pool))):
                    loader[Membership].add(partnership_id=pk, user_id=user_id,
                                           role="member", created_at=created)
            # The escalation path the escalation jobs climb: leads, QA leads, steering.
            for level, (name, role, days) in enumerate(ESCALATION, start=1):
                step = loader[EscalationLevel].add(partnership_id=pk, level=level, name=name,
                                                   days_allowed=days)
                for user_id in path[role]:
                    loader[EscalationLevel.people.through].add(escalationlevel_id=step,
                                                               user_id=user_id)
            # Two or three programs, running at one to three of the CDMO's sites.
            for k in range(r.randint(2, 3)):
                program = loader[Program].add(
                    partnership_id=pk, author_organization_id=sponsor[0],
                    created_by_id=people[sponsor[0]]["lead"][0], created_at=created,
                    updated_at=created, code=f"P{index + 1:03d}-{k + 1}",
                    name=f"{SYLLABLES_A[(index + k) % 20]}mab {k + 1}",
                    modality=r.choice(MODALITIES), phase=r.choice(PHASES),
                    is_internal=k == 2)
                for site in r.sample(self.sites[cdmo[0]],
                                     min(len(self.sites[cdmo[0]]), r.randint(1, 3))):
                    loader[Program.sites.through].add(program_id=program, site_id=site)

    def _pairs(self, r, sponsors, cdmos) -> list:
        """The (sponsor, CDMO) of each partnership: sponsor01 with its share, cdmo001 with
        every sponsor, the rest spread over the other sponsors (a pair once)."""
        c = self.counts
        total, big = c["partnerships"], min(c["big_sponsor_partnerships"], len(cdmos))
        pairs = [(sponsors[0], cdmo) for cdmo in cdmos[:big]]
        pairs += [(sponsor, cdmos[0]) for sponsor in sponsors[1:]]
        taken = {(s[0], d[0]) for s, d in pairs}
        others = sponsors[1:]
        turn = 0
        while len(pairs) < total and others:
            sponsor = others[turn % len(others)]
            turn += 1
            free = [d for d in cdmos[1:] if (sponsor[0], d[0]) not in taken]
            if not free:
                if all((s[0], d[0]) in taken for s in others for d in cdmos):
                    break
                continue
            cdmo = free[r.randrange(len(free))]
            taken.add((sponsor[0], cdmo[0]))
            pairs.append((sponsor, cdmo))
        return pairs

    # --- the manifest --------------------------------------------------------------------

    def manifest(self, loader, events: int) -> dict:
        from django.db.models import Count

        portfolio = Organization.objects.filter(kind="sponsor").annotate(
            n=Count("sponsor_partnerships")).order_by("-n", "pk").first()
        seated = Organization.objects.filter(kind="cdmo").annotate(
            n=Count("cdmo_partnerships")).order_by("-n", "pk").first()
        heavy = Partnership.objects.filter(sponsor=portfolio, cdmo=seated).first()
        domain = portfolio.domains.first().domain if hasattr(portfolio, "domains") else \
            OrganizationDomain.objects.filter(organization=portfolio).first().domain
        cdmo_domain = OrganizationDomain.objects.filter(organization=seated).first().domain
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT u.email, count(*) FROM governance_actionitem a JOIN partnership_user "
                "u ON u.id = a.owner_id WHERE a.status IN ('open', 'in_progress') "
                "GROUP BY u.email ORDER BY 2 DESC, 1 LIMIT 1")
            heavy_lead, open_actions = cursor.fetchone() or ("", 0)
        return {
            "size": self.size, "date": scale.today().isoformat(), "password": scale.PASSWORD,
            "portfolio_sponsor": f"{portfolio.name} ({portfolio.n} partnerships)",
            "portfolio_sponsor_id": portfolio.pk,
            "portfolio_lead": f"lead1@{domain}",
            "most_seated_cdmo": f"{seated.name} ({seated.n} partnerships)",
            "most_seated_cdmo_id": seated.pk, "cdmo_admin": f"admin@{cdmo_domain}",
            "heavy_partnership": heavy.pk if heavy else None,
            "heavy_lead": f"{heavy_lead} ({open_actions} open actions)",
            "heavy_lead_email": heavy_lead,
            "qa_lead": f"qa1@{domain}", "steering_member": f"steer1@{domain}",
            "org_admin": f"admin@{domain}", "cdmo_lead": f"lead1@{cdmo_domain}",
            "rows": {t.table: t.count for t in loader.tables.values()},
            "history_events": events,
        }
