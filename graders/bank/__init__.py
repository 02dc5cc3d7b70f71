"""The question bank: load bank/, render variants, grade answers (PrairieLearn style: generating a
variant and grading an answer are separate functions).

Public front; the work lives in private modules and in ``drill``, ``exam``, ``export``, ``stats``,
``validate`` and ``cli`` (the ``graders bank|drill|exam`` commands). docs/bank.md describes them.
"""

from ._grade import AnswerError, grade, parse_answer
from ._load import load_bank, read_bank
from ._model import TYPES, Bank, BankError, Choice, Question, Tolerance, Topic
from ._variant import Variant, solution, variant

__all__ = ["TYPES", "AnswerError", "Bank", "BankError", "Choice", "Question", "Tolerance", "Topic", "Variant",
           "grade", "load_bank", "parse_answer", "read_bank", "solution", "variant"]
