from django.forms.renderers import TemplatesSetting


class AkselFormRenderer(TemplatesSetting):
    """Renders every form with NAV's design system markup (templates/forms/)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
