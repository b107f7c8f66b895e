"""Access control over every route: anonymous and each role, in the admin, the API and the public pages.

The routes come from the URL resolver and the admin's registry, so a new route is covered automatically, or
``test_jede_route_ist_abgedeckt`` fails until it is covered or listed in ``AUSGENOMMEN`` with a reason.

What each role may do is written out in ``RECHTE`` (role × model → view/add/change/delete) and cross-checked with
``user.has_perm`` and with each ModelAdmin's own ``has_*_permission``, so the table and the rules cannot silently
diverge. The expected HTTP answer of every request is derived from that table:

* admin, anonymous: a redirect to the login for every admin URL;
* admin, staff: 200 where the role may, 403 where it may not, 404 for rows outside its Land or Kommune;
* API: public read for everyone; writes 403 without an API key or a permitting rule, never 401/403 with one;
* public pages: 200 for real keys, 404 for unknown ones, never 500.

Modules: ``tabellen`` (the tables, people and rows, expected answers), ``routen`` (the routes besides the standard
views), ``conftest`` (fixtures); one test module per suite: ``test_admin_modelle``, ``test_admin_sonderrouten``,
``test_api``, ``test_seiten``, and ``test_abdeckung`` (every route covered, every model in the tables).
"""
