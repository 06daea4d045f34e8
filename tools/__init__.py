"""Project tools shared by the MkDocs hooks, the tests and dev.py: reading mkdocs.yml
(site_config) and tracking translations (translations)."""
