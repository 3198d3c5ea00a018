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


class ExpertPool(models.Model):
    """A pool of professionals the division calls on for their expertise (Infocomm security, ICT
    strategic planning, ...). Kept small here: the competencies issue adds deployments to agencies."""

    name = models.CharField(max_length=120, unique=True)
    track = models.ForeignKey(Track, null=True, blank=True, on_delete=models.PROTECT, related_name="expert_pools")
    description = models.TextField(blank=True)
    members = models.ManyToManyField("professionals.Professional", blank=True, related_name="expert_pools")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
