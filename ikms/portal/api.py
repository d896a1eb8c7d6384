"""Public REST API of the school profiles (anonymous): exactly what the public profile pages show.

Every figure comes from `ikms.portal.profiles` (the same selectors as the pages), so the API can publish
nothing the pages hide: a hidden figure is `{"value": null, "hidden": true}`, and no numerator or denominator
exists in these serializers."""

from django.contrib.auth.decorators import login_not_required
from django.urls import reverse
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response

from ikms.accreditation.selectors import published_self_evaluation
from ikms.core.api import ApiMixin
from ikms.portal import profiles
from ikms.registry.choices import AccreditationState, InstitutionStatus, LicenceStatus, ProgrammeForm


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class ProfileListItemSerializer(serializers.Serializer):
    """One school found: register data and where its profile is."""

    registration_number = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField(source="type.code")
    type_name = serializers.CharField(source="type.name")
    municipality = serializers.CharField(source="municipality.code")
    municipality_name = serializers.CharField(source="municipality.name")
    status = serializers.ChoiceField(choices=InstitutionStatus.choices)
    url = serializers.SerializerMethodField(help_text="The profile in this API.")
    page = serializers.SerializerMethodField(help_text="The profile page.")

    def get_url(self, obj) -> str:
        return _absolute(self.context.get("request"), reverse(
            "public-api:profile-detail", kwargs={"registration_number": obj.registration_number}))

    def get_page(self, obj) -> str:
        return _absolute(self.context.get("request"), reverse(
            "portal:profile", kwargs={"registration_number": obj.registration_number}))


class ProfileFigureSerializer(serializers.Serializer):
    """A published figure of one school year: the rounded value, or null (no data, or hidden)."""

    school_year = serializers.CharField()
    value = serializers.FloatField(allow_null=True,
                                   help_text="Rounded to 1 decimal place (learners enrolled: a whole number).")
    hidden = serializers.BooleanField(help_text="True when not published: computed from fewer than 5 learners, "
                                                "or a figure from which such a one could be worked out.")
    text = serializers.CharField(help_text="The figure as the page shows it.")


def _series(figures: dict) -> list[dict]:
    return [{"school_year": y, "value": f.value, "hidden": f.hidden, "text": f.text} for y, f in figures.items()]


class ProfileIndicatorSerializer(serializers.Serializer):
    """One key indicator (one breakdown) of the school, per school year, with the national figure."""

    key = serializers.CharField(help_text="indicator:level:semester:category")
    section = serializers.ChoiceField(choices=list(profiles.SECTIONS))
    indicator = serializers.CharField()
    name = serializers.CharField()
    breakdown = serializers.CharField(allow_blank=True)
    label = serializers.CharField()
    level = serializers.CharField(allow_blank=True)
    semester = serializers.IntegerField(allow_null=True)
    category = serializers.CharField(allow_blank=True)
    unit = serializers.CharField(allow_blank=True, help_text='"%" or empty.')
    values = serializers.SerializerMethodField(help_text="The school's figure in each school year shown.")
    national = serializers.SerializerMethodField(help_text="The national figure of the same years; empty where "
                                                           "none is published (counts).")

    @extend_schema_field(ProfileFigureSerializer(many=True))
    def get_values(self, obj: profiles.ProfileRow) -> list[dict]:
        return _series(obj.school)

    @extend_schema_field(ProfileFigureSerializer(many=True))
    def get_national(self, obj: profiles.ProfileRow) -> list[dict]:
        return _series(obj.nation)


class ProfileAccreditationSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=AccreditationState.choices)
    state_name = serializers.CharField(source="get_state_display")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)


class ProfileProgrammeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    form = serializers.ChoiceField(choices=ProgrammeForm.choices)
    licence_number = serializers.CharField()
    licence_date = serializers.DateField()
    status = serializers.ChoiceField(choices=LicenceStatus.choices)
    places = serializers.SerializerMethodField()

    def get_places(self, obj) -> list[str]:
        return [p.address for p in obj.places.all()]


class ProfileDataAsOfSerializer(serializers.Serializer):
    """Where the figures come from: the engine's run of the school year."""

    school_year = serializers.CharField(source="year")
    data_as_of = serializers.CharField(help_text="The newest source file of the data snapshot.")
    computed_at = serializers.DateTimeField(source="finished_at", allow_null=True)
    specification_version = serializers.CharField(source="version")


class ProfileSelfEvaluationSectionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()


class ProfileGoalSerializer(serializers.Serializer):
    goal = serializers.CharField(allow_blank=True, default="")
    measure = serializers.CharField(allow_blank=True, default="")
    target = serializers.CharField(allow_blank=True, default="")
    deadline = serializers.CharField(allow_blank=True, default="")


class ProfileSelfEvaluationSerializer(serializers.Serializer):
    """The public part of the school's latest published self-evaluation report."""

    school_year = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    head_name = serializers.CharField(allow_blank=True)
    sections = ProfileSelfEvaluationSectionSerializer(many=True)
    goals = ProfileGoalSerializer(many=True, help_text="The head's goals, when the framework makes them public.")


class ProfileSerializer(serializers.Serializer):
    """The public profile of a school: register data, programmes, accreditation, the public part of the
    published self-evaluation report and key indicators."""

    registration_number = serializers.CharField(source="institution.registration_number")
    name = serializers.CharField(source="institution.name")
    type = serializers.CharField(source="institution.type.code")
    type_name = serializers.CharField(source="institution.type.name")
    founder = serializers.CharField(source="institution.founder.name")
    municipality = serializers.CharField(source="institution.municipality.code")
    municipality_name = serializers.CharField(source="institution.municipality.name")
    address = serializers.CharField(source="institution.address")
    head_name = serializers.CharField(source="institution.head_name", allow_blank=True)
    status = serializers.ChoiceField(source="institution.status", choices=InstitutionStatus.choices)
    accreditation = ProfileAccreditationSerializer(allow_null=True)
    programmes = ProfileProgrammeSerializer(many=True)
    school_year = serializers.CharField(source="year", allow_null=True,
                                        help_text="The latest school year with results for the school.")
    school_years = serializers.ListField(source="indicators.years", child=serializers.CharField())
    data_as_of = ProfileDataAsOfSerializer(source="summary", allow_null=True)
    indicators = ProfileIndicatorSerializer(source="indicators.rows", many=True)
    self_evaluation = serializers.SerializerMethodField()

    @extend_schema_field(ProfileSelfEvaluationSerializer(allow_null=True))
    def get_self_evaluation(self, profile):
        report = published_self_evaluation(profile.institution)
        return None if report is None else ProfileSelfEvaluationSerializer(report).data


class ProfileQuerySerializer(serializers.Serializer):
    """The search of the profile list page (an unknown code gives an empty list, as in the register API)."""

    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                              help_text="Words of the name in any order, each the beginning of a word of the name; "
                                        "case, diacritics and punctuation are ignored, and one wrong, missing, extra "
                                        "or swapped letter in a word of 5 or more letters is forgiven (such matches "
                                        "come after exact ones). A number alone also matches the beginning of the "
                                        "registration number. Best matches first.")
    type = serializers.CharField(required=False, allow_blank=True, default="", max_length=40,
                                 help_text="Institution type code, e.g. secondary.")
    municipality = serializers.CharField(required=False, allow_blank=True, default="", max_length=20,
                                         help_text="Municipality code, e.g. LV-RIX.")


@method_decorator(login_not_required, name="dispatch")
class ProfileListApi(ApiMixin, generics.ListAPIView):
    """Schools with a public profile, found as on the profile search page: by name (or registration number),
    institution type and municipality, best matches first."""

    serializer_class = ProfileListItemSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    query_serializer_class = ProfileQuerySerializer

    def get_queryset(self):
        return profiles.profile_search(q=self.query["q"], type=self.query["type"],
                                       municipality=self.query["municipality"])


@method_decorator(login_not_required, name="dispatch")
class ProfileDetailApi(ApiMixin, generics.GenericAPIView):
    """The public profile of one school: exactly what its profile page shows."""

    serializer_class = ProfileSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    def get(self, request, registration_number: str):
        profile = profiles.profile_get(registration_number=registration_number)
        return Response(ProfileSerializer(profile, context={"request": request}).data)
