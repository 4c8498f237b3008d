"""What the workbook does with a patient's answers, pure and without widgets: the answers and
their session, the safety check's levels, the quiz, the self-check, the plan and notes, the
summary sheet, the charts' figures, plain-language checks and the named scenarios."""
