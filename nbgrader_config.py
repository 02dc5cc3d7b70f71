# The repository root is the nbgrader course root: nbgrader's own commands
# (generate_assignment, autograde, formgrader) work on this tree unchanged.
c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.root = "."
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.solution_directory = "solutions"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
# Data files beside the notebooks travel with the release.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", ".graders-cache"]

# Hidden tests and solutions use nbgrader's default markers.
c.ClearSolutions.code_stub = {"python": "# DEIN CODE HIER\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "DEINE ANTWORT HIER"

# Same per-cell limit as `graders autograde --timeout`.
c.ExecutePreprocessor.timeout = 120

# Due dates and the late policy (graders.late; `graders collect` keeps each submission's time in
# submitted/<student>/<aid>/timestamp.txt, `graders autograde` applies nbgrader's late-penalty plugin).
# nbgrader 0.9.6 has no config option for a due date (only `nbgrader db assignment add --duedate`),
# so graders reads it here and copies it into gradebook.db.
c.Deadlines.timezone = "Europe/Berlin"
c.Deadlines.duedates = {"01-perzeptron": "2025-11-14 23:59:00 Europe/Berlin"}
c.AssignLatePenalties.plugin_class = "graders.late.SubMarks"
c.SubMarks.points_per_hour = 1.0
