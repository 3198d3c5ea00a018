# Events, invitations, minutes and action items arrive with the meetings issue.
