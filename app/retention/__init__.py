"""Retention: what a long-running shared simulator keeps, so its storage stays bounded (README
"Retention"). The policy comes from ENROLLSIM_* settings (app/config.py); a pass (prune.py) runs
now and then while serving (schedule.py, one worker at a time), or at once with
`flask --app app prune`; a tenant's last activity is tracked cheaply (activity.py)."""
