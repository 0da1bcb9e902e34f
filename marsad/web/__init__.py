"""The observatory web app (Django): the public reporting form and dashboard, the staff case
workflow, evidence, escalations and the API. Settings come from the marsad project
(`MARSAD_PROJECT`) and the environment; see docs/web.md."""
