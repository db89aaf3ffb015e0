from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import User


class StaffCreationForm(AdminUserCreationForm):
    """The administrator creates staff accounts by email; there is no username."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "name")


class StaffChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
