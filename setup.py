"""Package layout: the code in tracker/, and the data folders beside it shipped inside it.

jurisdictions/, templates/ and migrations/ sit at the top of the repository so that
they can be reviewed on their own; an installed package carries them as
tracker/jurisdictions, tracker/templates and tracker/migrations.
"""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).resolve().parent

# A folder that does not exist yet (no file of it is committed) is left out rather than
# failing the install.
DATA_FOLDERS = {
    package: folder
    for package, folder in {
        "tracker.jurisdictions": "jurisdictions",
        "tracker.templates": "templates",
        "tracker.migrations": "migrations",
        "tracker.playbooks": "playbooks",
    }.items()
    if (HERE / folder).is_dir()
}

setup(
    packages=find_packages(include=["tracker", "tracker.*"]) + list(DATA_FOLDERS),
    package_dir=DATA_FOLDERS,
    package_data={
        "tracker.jurisdictions": ["*.toml", "**/*.toml"],
        "tracker.templates": ["**/*"],
        "tracker.migrations": ["*.py", "*.mako", "*.ini", "versions/*.py"],
        "tracker.playbooks": ["*.toml"],
        "tracker": ["static/**/*"],
    },
    include_package_data=False,
)
