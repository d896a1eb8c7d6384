"""The inspections API (`/api/v1/inspections/`), read-only: the list with the list page's filters and one
inspection with its act, findings, recommendations and orders (deadlines, status, follow-up evidence) and
questionnaire answers.

The same selectors as the pages decide which inspections a user gets (`selectors.inspection_list`,
`selectors.inspection_get_for_user`: the INSPECTION policy; IKVD staff every one, a head or founder its
institution's once the act is sent) and the same predicate which fields: what the page shows IKVD staff only (the
visit-plan entry and the complaint an inspection came from) is left out for others
(`permissions.sees_every_inspection`)."""
