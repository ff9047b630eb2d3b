# Configuration of your portfolio. Edit the profile, then build with
#   sphinx-cpd build
project = "My chartership portfolio"
author = "Your Name"
html_title = project
language = "en"

extensions = ["sphinx_cpd"]
html_theme = "sphinx_cpd"

cpd_profile = {
    "name": "Your Name",
    "role": "Your role",
    "organisation": "Your organisation",
    "registration": "Chartership",
}
# Who a build is for: "private" (you), "mentor" or "public".
cpd_audience = "private"
cpd_frameworks = ["cilip-chartership", "pksb"]
exclude_patterns = ["_build", "README.md"]
