"""The complaint procedure up the policy's ladder: who may complain, filing and admissibility, the
informal route (conversations, escalation, the complaints officer, mediation) and the formal route
(judgement, hearing, measures, referral outside).

- :mod:`.ladder`: which steps exist and which moves between them the policy allows.
- :mod:`.complainants`: who may complain.
- :mod:`.complaint`: filing a complaint and deciding whether it is handled.
- :mod:`.informal` and :mod:`.formal`: the two routes.
"""
