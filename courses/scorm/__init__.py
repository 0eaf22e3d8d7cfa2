"""SCORM 1.2 and 2004: import (validation, extraction), play with scorm-again, CMI per learner."""
