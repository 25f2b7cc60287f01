"""KPI imports: a spreadsheet of values uploaded by the reporting party, read by a job that
enters every row as a draft or none of them, with its progress shown on the page."""
