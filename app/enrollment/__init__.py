"""The domain: which profile applies, the Company Portal walk-through, and device ownership.

Pure Python, no Flask: the portal, the admin console and the Graph API all call these functions.
"""
