from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "provide.evaluation"
    label = "evaluation"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Evaluation"
