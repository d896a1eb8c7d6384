"""Template context shared by every page: the user's roles and navigation permissions."""

from django.conf import settings

from ikms.accounts import permissions as accounts_permissions
from ikms.accounts.selectors import user_roles
from ikms.accreditation import permissions as accreditation_permissions
from ikms.childcare import permissions as childcare_permissions
from ikms.complaints import permissions as complaint_permissions
from ikms.convictions import permissions as conviction_permissions
from ikms.courses import permissions as course_permissions
from ikms.crosschecks import permissions as crosscheck_permissions
from ikms.monitoring import permissions as monitoring_permissions
from ikms.practice import permissions as practice_permissions
from ikms.psychologists import permissions as psychologist_permissions
from ikms.registry import permissions as registry_permissions
from ikms.reports import selectors as report_selectors
from ikms.statements import permissions as statement_permissions


def ikms(request) -> dict:
    user = request.user
    return {
        "ikms_roles": sorted(r.label for r in user_roles(user)),
        "can_use_staff_register": registry_permissions.can_use_staff_register(user),
        "can_decide_register": registry_permissions.can_decide_register(user),
        "can_decide_accreditation": registry_permissions.can_decide_accreditation(user),
        "can_view_register_statistics": registry_permissions.can_view_register_statistics(user),
        "can_use_admin": accounts_permissions.can_use_admin(user),
        "can_use_monitoring": monitoring_permissions.can_use_monitoring(user),
        "can_view_risks": monitoring_permissions.can_view_risks(user),
        "can_view_data_quality": monitoring_permissions.can_view_data_quality(user),
        "can_use_accreditation": accreditation_permissions.can_use_accreditation(user),
        "can_use_complaints": complaint_permissions.can_use_complaints(user),
        "can_use_psychologists": psychologist_permissions.can_use_register(user),
        "can_use_convictions": conviction_permissions.can_use_convictions(user),
        "can_view_conviction_read_log": conviction_permissions.can_view_read_log(user),
        "can_use_childcare_register": childcare_permissions.can_use_register(user),
        "can_use_practice_register": practice_permissions.can_use_register(user),
        "can_use_courses": course_permissions.can_use_courses(user),
        "can_use_statements": statement_permissions.can_use_statements(user),
        "can_see_crosschecks": crosscheck_permissions.can_see_findings(user),
        "can_use_reports": bool(report_selectors.kinds_for(user)),
        # the session still owes its second factor (ikms.accounts.middleware): the header shows no staff links
        "second_factor_pending": getattr(request, "ikms_second_factor_step", None) is not None,
        "LANGUAGES": settings.LANGUAGES,
    }
