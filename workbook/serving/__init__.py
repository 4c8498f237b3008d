"""Serving the workbook with Voilà: the settings and the command line they make (`settings`),
the Voilà application and its routes (`app`), patients' kernels (`kernels`) and their channel
(`channel`), who may reach a kernel (`guard`), the error pages (`pages`), compressed scripts
(`compressed`), connection handles (`handles`), left-over files (`leftovers`), the capacity
(`capacity`), workers and nginx (`workers`, `proxy`), and what it relies on in Voilà (`support`).
Runs in the server process only: nothing of the widgets is imported here."""
