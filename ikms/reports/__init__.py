"""Reports made from the records (issue 16): IKVD's annual public report, the municipal education-quality report,
quarterly trends and EQAVET, as documents (`document.py`) rendered to a web page, PDF, XLSX and DOCX."""
