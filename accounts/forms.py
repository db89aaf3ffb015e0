from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import User


# Generic only in the stubs (subscripting it needs django-stubs-ext's monkeypatch).
class StaffCreationForm(AdminUserCreationForm):  # type: ignore[type-arg]
    """The administrator creates staff accounts by email; there is no username."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "name")


class StaffChangeForm(UserChangeForm):  # type: ignore[type-arg]
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
