"""How a page is tested: read mkdocs.yml (config), expand snippet includes the way
MkDocs does (expand), find the code blocks a reader sees (blocks), run them (execute),
and turn each block into a pytest item named after its page and line (collect)."""
