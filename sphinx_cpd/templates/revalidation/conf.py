# Configuration of your portfolio. Edit the profile, then build with
#   sphinx-cpd build
project = "My revalidation portfolio"
author = "Your Name"
html_title = project
language = "en"

extensions = ["sphinx_cpd"]
html_theme = "sphinx_cpd"

cpd_profile = {
    "name": "Your Name",
    "role": "Your role",
    "organisation": "Your organisation",
    "registration": "Revalidation",
}
# Who a build is for: "private" (you), "mentor" or "public".
cpd_audience = "private"
cpd_frameworks = ["pksb"]
cpd_hours_target = 20
exclude_patterns = ["_build", "README.md"]
