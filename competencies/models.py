from django.db import models


class Track(models.Model):
    """A career track (Application Development, Cybersecurity, ...). Frameworks, competencies and
    requirements per track arrive with the competencies issue."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name
