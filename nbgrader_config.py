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
