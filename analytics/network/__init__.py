"""The school network tool (issue 15, item 1): minimum class and learner numbers, the inputs read from the lake,
and the learner-number projections (a transparent cohort model). No Django."""
