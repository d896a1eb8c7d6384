"""The project's date and number formats (FORMAT_MODULE_PATH), over Django's own per language.

Latvian writes a date as dd.mm.gggg. (with the closing dot: 27.03.2025.) and a decimal with a comma (66,8);
English pages write "27 March 2025" and a decimal point. One format per language for every page, the template
filter `date` with no argument and `ikms.core.formatting`; exports follow them (ikms.core.exports).
"""
