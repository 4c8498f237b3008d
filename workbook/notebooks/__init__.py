"""The notebooks: writing the chapter notebooks from `data/` (`build`) and the clinic guide's
tables (`clinic_guide`)."""
