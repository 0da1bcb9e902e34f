"""Cases: reports of digital-rights violations, their workflow, escalations and the audit log."""
