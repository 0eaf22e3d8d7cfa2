"""The site's own pages (home, standard pages, news, settings), the demo (`seed_demo`) and the
production bootstrap (`bootstrap`). The top room: may import every other."""
