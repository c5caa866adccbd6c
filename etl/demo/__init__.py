"""Demo data: synthetic series and the workbooks made from them, loaded through the ETL."""
