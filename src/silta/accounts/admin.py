from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from silta.accounts.models import Membership, User
from silta.accounts.services import login_delay_clear


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("unit",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active")
    list_filter = ("is_active", "is_staff", "memberships__unit__organisation")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Silta"), {"fields": ("title", "phone")}),
    )
    readonly_fields = ("last_login", "date_joined")
    inlines = [MembershipInline]
    actions = ["unlock"]

    @admin.action(description=_("Let the selected accounts sign in again without waiting"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        login_delay_clear(users=list(queryset))
