"""H5P activities: validated `.h5p` packages, a sandboxed player and xAPI tracking.

A package is a zip of `h5p.json`, `content/` and the libraries it needs. `validation` checks
the archive before anything is written; `services` extracts it (content per package, each
library version once, shared) and records what the player reports; `xapi` parses
statements; `selectors` reads results for trainers; `views` serve the player document, the
package files and the endpoints the lesson page posts to.
"""
