"""Private helpers of ``graders collect``: untrusted archives, upload sources, notebook matching,
rosters and the submitted/ store. The public front is ``graders.collect``."""
