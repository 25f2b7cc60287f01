"""Tech transfers of programs into CDMO sites and their milestones."""
