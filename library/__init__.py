"""The public knowledge site: the e-library (/thu-vien/) and the culture archive (/van-hoa/)
with moderation and the indicator the plans' digitisation targets count. A side room: imports
only `people` and `core`; only `cms` (the site's shell) imports it."""
