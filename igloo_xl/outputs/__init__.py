"""Generated workbooks (landlords' schedules, funders' budget tables), written with XlsxWriter."""
