"""The report sections (registered in `marsad.reports.REPORT_SECTIONS`)."""
