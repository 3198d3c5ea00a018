from rest_framework import serializers

from competencies.models import Track


class TrackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = ["code", "name", "description"]
        read_only_fields = fields
