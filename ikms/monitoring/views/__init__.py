"""Monitoring pages (staff), one module a concern: dashboards for the nation, a municipality and an institution
(`dashboards`), indicator pages with charts (`indicators`), the risk list and the visit plan (`risks`), tables 5-7
of the annual report (`absences`) and the data-quality page (`data_quality`); `common` holds what they share. The
institution dossier, which also reads accreditation, is in ikms.web (ADR 0018).

Views are thin: resolve the object through a scoped selector (invisible → 404), check the predicate (→ 403),
call a selector or one service, render. Every table exports to CSV and XLSX."""
