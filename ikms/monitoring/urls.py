from django.urls import path

from ikms.monitoring.views import (
    absences,
    dashboards,
    data_quality,
    diagnostics,
    eqavet,
    graduates,
    indicators,
    network,
    overview,
    risk_scores,
    risks,
    support,
    teaching,
    visit_effect,
    visit_plans,
)

app_name = "monitoring"

urlpatterns = [
    path("", dashboards.home, name="home"),
    path("valsts/", dashboards.nation, name="nation"),
    path("pasvaldibas/<str:code>/", dashboards.municipality, name="municipality"),
    path("iestades/<str:registration_number>/", dashboards.institution, name="institution"),
    path("iestades/<str:registration_number>/apmeklejums/", risks.visit_add, name="visit-add"),
    path("raditaji/<slug:code>/", indicators.indicator, name="indicator"),
    path("riski/", risks.risks, name="risks"),
    path("riska-vertejums/<str:registration_number>/", risk_scores.risk_score, name="risk-score"),
    path("riska-modelis/", risk_scores.risk_model, name="risk-model"),
    path("apmeklejumi/", risks.visits, name="visits"),
    path("apmeklejumi/<int:pk>/statuss/", risks.visit_status, name="visit-status"),
    path("apmeklejumu-plani/", visit_plans.visit_plans, name="visit-plans"),
    path("apmeklejumu-plani/<int:pk>/", visit_plans.visit_plan, name="visit-plan"),
    path("kavejumi/", absences.absences, name="absences"),
    path("kavejumi/iestades/", absences.absence_institutions, name="absence-institutions"),
    path("datu-kvalitate/", data_quality.data_quality, name="data-quality"),
    path("skolu-tikls/", network.network, name="network"),
    path("skolu-tikls/prognoze/", network.network_projection, name="network-projection"),
    path("skolotaji/", teaching.teaching, name="teaching"),
    path("absolventi/", graduates.graduates, name="graduates"),
    path("atbalsts/", support.support, name="support"),
    path("eqavet/", eqavet.eqavet, name="eqavet"),
    path("diagnostika/", diagnostics.diagnostics, name="diagnostics"),
    path("parskats/", overview.overview, name="overview"),
    path("vizisu-ietekme/", visit_effect.visit_effect_page, name="visit-effect"),
]
