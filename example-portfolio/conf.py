# Configuration of the example portfolio: a fictional librarian's November 2011.
project = "Morgan Ashby: chartership portfolio"
author = "Morgan Ashby"
copyright = "2011, Morgan Ashby"
version = release = "2011"
language = "en"

extensions = ["sphinx_cpd"]
html_theme = "sphinx_cpd"
html_title = "Morgan Ashby: chartership portfolio"
html_theme_options = {
    "license": "CC BY 4.0",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
}

cpd_profile = {
    "name": "Morgan Ashby",
    "post-nominals": "ACLIP",
    "role": "Assistant librarian",
    "organisation": "Eastbrook University Library",
    "registration": "Chartership",
}
# Where the public build would be published: its feed (feed.xml) links there.
html_baseurl = "https://morgan-ashby.example.org/portfolio/"
# The portfolio's own build is for its author; `sphinx-cpd share` makes the mentor's.
cpd_audience = "private"
cpd_default_visibility = "mentor"
cpd_frameworks = ["cilip-chartership", "pksb", "cpd23"]
# What CILIP asks of a Chartership portfolio: the checklist on the front page
# and `sphinx-cpd status` say what is still to do.
cpd_scheme = "cilip-chartership"
# CILIP revalidation asks for 20 hours of CPD a year.
cpd_hours_target = 20

exclude_patterns = ["_build"]
