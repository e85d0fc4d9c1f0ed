from django.contrib import admin

from silta.accounts.models import Membership
from silta.organisations.models import Organisation, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ("name_fi", "name_sv", "kind", "is_active")
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name_fi", "name_sv", "kind", "organiser_code")
    list_filter = ("kind",)
    search_fields = ("name_fi", "name_sv", "organiser_code")
    inlines = [UnitInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name_fi", "organisation", "kind", "is_active")
    list_filter = ("kind", "organisation__kind", "is_active")
    search_fields = ("name_fi", "name_sv", "organisation__name_fi")
    list_select_related = ("organisation",)
    inlines = [MembershipInline]
