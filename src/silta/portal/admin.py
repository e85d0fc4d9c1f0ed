from django.contrib import admin

from silta.portal.models import OrganisationSetting


@admin.register(OrganisationSetting)
class OrganisationSettingAdmin(admin.ModelAdmin):
    list_display = ("organisation", "show_staff_names")
