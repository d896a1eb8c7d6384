"""The complaints API (`/api/v1/complaints/`), read-only: the list with the list page's filters and one complaint.

The same selectors as the pages decide which complaints a user gets (`selectors.complaint_list`,
`selectors.complaint_get_for_user`: the COMPLAINT policy; a founder only those forwarded to it, a head or the public
none) and the same predicates which fields: the submitter's identity (name, contact, the complaint's own text, the
same submitter's other complaints) only where `permissions.api_names_submitter` allows, otherwise left out of the
answer; the personal code's keyed hash never. The serializers in `serializers`, the views in `views`, the routes in
`urls`."""
