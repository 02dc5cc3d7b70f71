# The two set-up commands. Everything lives in .venv; nothing is installed globally except the
# Debian packages bubblewrap (sandbox) and chromium (browser tests), where the machine allows.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test mutate lab clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 wird benötigt ($(PYTHON) nicht gefunden)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch 2.13.0 first, alone: the CPU build that lies on this machine's disk (see README)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	tools/system-packages
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/graders demo

# Two pytest processes (most tests use one core), each given one test file at a time, except the
# validation of the 17 assignments, which spreads over both (tests/conftest.py). A plain `pytest` runs
# serially.
# PYTHONDONTWRITEBYTECODE emptied: where the machine sets it (this one does), every pytest worker would
# rewrite and compile all test modules again (2 s of CPU each) and every graders process recompile the project.
test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2

# The full mutation analysis of every assignment (about 25 minutes on 2 cores); records the scores in
# content/<aid>/mutation.yaml, which `make test` holds the assignments to. CI re-checks a fixed sample.
mutate: $(STAMP)
	$(BIN)/graders mutate --record --no-diffs

# Opens the file browser on release/ (the student notebooks). The kernel is .venv's Python, where the
# project provides the kit's import name, so `from graders_student import check` works. Jupyter refuses root without --allow-root (containers).
# As students see it: tools/student-lab/ turns off nbgrader's instructor parts (Create Assignment,
# formgrader, course list) and its Validate button (English, raw tracebacks; check() replaces it);
# JUPYTER_PREFER_ENV_PATH=0 lets that folder override the venv's nbgrader settings.
lab: $(STAMP)
	JUPYTER_CONFIG_DIR=$(CURDIR)/tools/student-lab JUPYTER_PREFER_ENV_PATH=0 $(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/release \
		$(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	rm -rf $(VENV) .graders-cache submitted autograded/*/ autograded/.history feedback reports gradebook.db
