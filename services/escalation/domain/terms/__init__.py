"""Terms: what happened to each term of a case, and the due dates derived from that.

- :mod:`.history`: each term's history folded from the events (started, extended, suspended, resumed,
  met, stopped); no due date is stored.
- :mod:`.deadlines`: the due and warning dates, derived from that history and the pinned policy.
- :mod:`.start`: starting a term with the policy's length, counted from the day the policy names.
- :mod:`.changes`: the staff commands on a running term (extend it once, suspend it, resume it).
- :mod:`.timer`: the timer's commands (a warning day reached, a term ended unmet).
"""
