import factory

from accounts.models import User
from interviews.enums import County, RoleKind, RoleScope
from interviews.models import HiringRound, Office, OfficeRole
from panels.models import Background, Representative

PASSWORD = "a-long-test-password-123"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"NAV Testkontor {n}")
    county = County.NORDLAND


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"ansatt{n}@navpanel.no")
    name = factory.Sequence(lambda n: f"Ansatt {n}")
    password = factory.django.Password(PASSWORD)


class OfficeRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeRole

    user = factory.SubFactory(UserFactory)
    kind = RoleKind.LEADER
    scope = RoleScope.OFFICE
    office = factory.SubFactory(OfficeFactory)


class HiringRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HiringRound

    office = factory.SubFactory(OfficeFactory)
    position_title = "Veileder, Team Voksen"
    team = "Team Voksen"


class BackgroundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Background
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"background_{n}")
    name = factory.Sequence(lambda n: f"Bakgrunn {n}")
    name_en = factory.Sequence(lambda n: f"Background {n}")


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    name = factory.Sequence(lambda n: f"Bruker Nummer {n}")
    email = factory.Sequence(lambda n: f"bruker{n}@example.no")
    birth_year = 1980
