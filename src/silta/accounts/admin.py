from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from silta.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("unit",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "locked_until")
    list_filter = ("is_active", "is_staff", "memberships__unit__organisation")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Silta"), {"fields": ("title", "phone", "locked_until", "failed_login_count")}),
    )
    readonly_fields = ("locked_until", "failed_login_count", "last_login", "date_joined")
    inlines = [MembershipInline]
    actions = ["unlock"]

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        queryset.update(locked_until=None, failed_login_count=0)
