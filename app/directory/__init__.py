"""The tenant's state as the domain reads and writes it: profiles and their facts, users, groups,
recorded devices. Every face (portal, console, Graph, control API) goes through here.
"""
